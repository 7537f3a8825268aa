using System.Text.RegularExpressions;
using Loupe.Application.Common.Mapping;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Application.Runs.Queries.GetRun;
using Loupe.Application.Runs.Queries.ListRuns;
using Loupe.Domain.DataSources;
using Loupe.Domain.Organizations;
using Loupe.Domain.Runs;
using Loupe.Infrastructure.Persistence;
using Loupe.Integration.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Loupe.Integration.Tests.Runs;

/// <summary>
/// The run list and detail read only the columns of their DTO: never a run's SQL, parameter values
/// or cache key. Checked on the SQL the real handlers send to PostgreSQL, and on what they answer.
/// </summary>
public sealed partial class RunReadProjectionTests(DatabaseFixture database) : ResetBeforeEachTest(database), IClassFixture<DatabaseFixture>
{
    private static readonly DateTimeOffset Now = TenantData.Epoch;

    private static readonly string[] HeavyColumns = ["sql", "parameter_values", "cache_key", "source_sql", "source_map"];

    [Fact]
    public async Task ListRuns_SelectsNeitherSqlNorParameterValues_AndAnswersEveryField()
    {
        var (organization, runs) = await AddRunsAsync();
        await using var context = TenantData.Context(database.AppConnection, organization);
        var executor = new RecordingExecutor();
        var handler = new ListRunsQueryHandler(Caller.Admin(organization), new ReadStore(context), executor, MappingConfiguration.Create());

        var page = await handler.Handle(new ListRunsQuery(new Dictionary<string, string?>()), TestContext.Current.CancellationToken);

        SelectedColumns(executor.ListSql.ShouldHaveSingleItem()).ShouldSatisfyAllConditions(
            columns => columns.ShouldContain("status"),
            columns => columns.ShouldContain("error_message"),
            columns => columns.ShouldNotContain(c => HeavyColumns.Contains(c)));
        page.Data.Select(r => r.Id).ShouldBe([runs.TimedOut.Id, runs.Succeeded.Id], ignoreOrder: true);
        var timedOut = page.Data.Single(r => r.Id == runs.TimedOut.Id);
        timedOut.Status.ShouldBe("timed_out");
        timedOut.DurationMs.ShouldBe(2500);
        timedOut.Error.ShouldNotBeNull().Code.ShouldBe("57014");
        timedOut.HasResult.ShouldBeFalse();
        var succeeded = page.Data.Single(r => r.Id == runs.Succeeded.Id);
        succeeded.Status.ShouldBe("succeeded");
        succeeded.Error.ShouldBeNull();
        succeeded.HasResult.ShouldBeTrue();
        succeeded.RowCount.ShouldBe(3);
        succeeded.FromCache.ShouldBeFalse();
    }

    [Fact]
    public async Task GetRun_SelectsNeitherSqlNorParameterValues_AndCarriesTheRowVersion()
    {
        var (organization, runs) = await AddRunsAsync();
        await using var context = TenantData.Context(database.AppConnection, organization);
        var executor = new RecordingExecutor();
        var handler = new GetRunQueryHandler(Caller.Admin(organization), new ReadStore(context), executor, new NoJobs(), MappingConfiguration.Create());

        var run = await handler.Handle(new GetRunQuery(runs.Succeeded.Id), TestContext.Current.CancellationToken);

        SelectedColumns(executor.ListSql.ShouldHaveSingleItem()).ShouldNotContain(c => HeavyColumns.Contains(c));
        run.Value.Id.ShouldBe(runs.Succeeded.Id);
        run.Value.Status.ShouldBe("succeeded");
        run.RowVersion.ShouldNotBe(0u);
    }

    [Fact]
    public async Task ListRuns_ForAViewer_FiltersAdHocRunsOfOthersInTheDatabase()
    {
        var (organization, _) = await AddRunsAsync();
        await using var context = TenantData.Context(database.AppConnection, organization);
        var executor = new RecordingExecutor();
        var handler = new ListRunsQueryHandler(new Caller(organization, Role.Viewer), new ReadStore(context), executor, MappingConfiguration.Create());

        var page = await handler.Handle(new ListRunsQuery(new Dictionary<string, string?>()), TestContext.Current.CancellationToken);

        page.Data.ShouldBeEmpty();
        page.Pagination.Total.ShouldBe(0);
        var where = executor.CountSql.ShouldHaveSingleItem().Split("WHERE ", 2)[1];
        where.ShouldContain("saved_query_id IS NOT NULL");
        where.ShouldContain("requested_by");
    }

    /// <summary>The bare column names between the outermost SELECT and its FROM.</summary>
    private static IReadOnlyList<string> SelectedColumns(string sql)
    {
        var select = sql[sql.IndexOf("SELECT ", StringComparison.Ordinal)..sql.IndexOf("\nFROM ", StringComparison.Ordinal)];
        return [.. ColumnName().Matches(select).Select(m => m.Groups[1].Value)];
    }

    [GeneratedRegex(@"\b\w+\.(\w+)")]
    private static partial Regex ColumnName();

    private async Task<(Guid Organization, (QueryRun TimedOut, QueryRun Succeeded) Runs)> AddRunsAsync()
    {
        var organization = await TenantData.CreateOrganizationAsync(database.AppConnection);
        await using var context = TenantData.Context(database.AppConnection, organization.Id);
        var dataSource = DataSource.Create(
            Guid.CreateVersion7(), organization.Id, "Shop", ConnectionSettings.Postgresql("db.example.com", 5432, "shop", "reader"), null, new DataSourceLimits(), Now);
        var sql = "select " + new string('x', 50_000);
        var timedOut = NewRun(organization.Id, dataSource.Id, sql);
        var attempt = timedOut.Start(Now);
        timedOut.TimeOut(attempt, new RunError("57014", "canceling statement due to statement timeout"), Now.AddMilliseconds(2500));
        var succeeded = NewRun(organization.Id, dataSource.Id, sql);
        attempt = succeeded.Start(Now);
        succeeded.Succeed(attempt, 3, false, 120, Now.AddSeconds(1), Now.AddDays(1));
        context.DataSources.Add(dataSource);
        context.QueryRuns.AddRange(timedOut, succeeded);
        await context.SaveChangesAsync();
        return (organization.Id, (timedOut, succeeded));
    }

    private static QueryRun NewRun(Guid organization, Guid dataSource, string sql) =>
        QueryRun.Queue(Guid.CreateVersion7(), organization, dataSource, null, null, sql, "[]", new string('k', QueryRun.CacheKeyLength), 30, 1000, Now);

    /// <summary>A signed-in member of the organization, as the API would describe them.</summary>
    private sealed record Caller(Guid Organization, Role Role) : ICurrentUser
    {
        public static Caller Admin(Guid organization) => new(organization, Role.Admin);

        public bool IsAuthenticated => true;

        public Guid? UserId { get; } = Guid.CreateVersion7();

        public Guid? OrganizationId => Organization;

        Role? ICurrentUser.Role => Role;

        public Guid? SessionId => null;

        public bool IsInstanceAdmin => false;

        public Guid? ApiKeyId => null;
    }

    /// <summary>Runs queries as Infrastructure does, keeping the SQL of every query that reads rows.</summary>
    private sealed class RecordingExecutor : IQueryExecutor
    {
        private readonly QueryExecutor _inner = new();

        public List<string> ListSql { get; } = [];

        public Task<List<T>> ToListAsync<T>(IQueryable<T> query, CancellationToken cancellationToken)
        {
            ListSql.Add(query.ToQueryString());
            return _inner.ToListAsync(query, cancellationToken);
        }

        public List<string> CountSql { get; } = [];

        public Task<int> CountAsync<T>(IQueryable<T> query, CancellationToken cancellationToken)
        {
            CountSql.Add(query.ToQueryString());
            return _inner.CountAsync(query, cancellationToken);
        }

        public Task<T?> FirstOrDefaultAsync<T>(IQueryable<T> query, CancellationToken cancellationToken)
        {
            ListSql.Add(query.ToQueryString());
            return _inner.FirstOrDefaultAsync(query, cancellationToken);
        }
    }
}

/// <summary>A finished run never asks the jobs; a read that did would fail the test.</summary>
internal sealed class NoJobs : Loupe.Application.Common.Jobs.IJobsReadModel
{
    public Task<IReadOnlyList<Loupe.Application.Common.Jobs.JobCount>> CountAsync(CancellationToken ct) => throw new NotSupportedException();

    public Task<IReadOnlyList<Loupe.Application.Common.Jobs.RunningJob>> RunningAsync(CancellationToken ct) => throw new NotSupportedException();

    public Task<IReadOnlyList<Loupe.Application.Common.Jobs.JobSummary>> RecentFailuresAsync(int limit, CancellationToken ct) => throw new NotSupportedException();

    public Task<Loupe.Application.Common.Paging.PagedResult<Loupe.Application.Common.Jobs.JobSummary>> ListAsync(
        Loupe.Application.Common.Jobs.JobListFilter filter, Loupe.Application.Common.Paging.PageRequest page, CancellationToken ct) => throw new NotSupportedException();

    public Task<Loupe.Application.Common.Jobs.JobDetail?> GetAsync(Guid id, CancellationToken ct) => throw new NotSupportedException();

    public Task<IReadOnlyList<Loupe.Application.Common.Jobs.JobAttempt>> AttemptsAsync(Guid jobId, CancellationToken ct) => throw new NotSupportedException();

    public Task<IReadOnlyList<Loupe.Application.Common.Jobs.EngineNode>> NodesAsync(CancellationToken ct) => throw new NotSupportedException();
}
