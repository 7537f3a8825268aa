using System.Data.Common;
using System.Globalization;
using Loupe.Application.Common.Mapping;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Dashboards.Queries.ListDashboards;
using Loupe.Application.Visualizations.Queries.ListVisualizations;
using Loupe.Domain.DataSources;
using Loupe.Domain.Queries;
using Loupe.Infrastructure.Persistence;
using Loupe.Infrastructure.Results;
using Loupe.Integration.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Loupe.Integration.Tests.Dashboards;

/// <summary>
/// With 100,000 dashboards and as many visualizations in one organization (and others beside it), the
/// statement the real list handler sends for a page, the first one and a deep one (page 1,990 of 50
/// rows), newest change first, is planned with the page's ids read from the index of organization,
/// last change and id alone (an index-only scan, never a scan of the table), and the page's rows read
/// by primary key (ADR 0060). The P2 benchmark times the same pages through the API.
/// </summary>
public sealed class ListPlanTests(DatabaseFixture database) : ResetBeforeEachTest(database), IClassFixture<DatabaseFixture>
{
    private const int Rows = 100_000;
    private const int PerPage = 50;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<int> Pages => [1, (Rows / PerPage) - 10];

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task APageOfDashboards_ReadsItsIdsFromTheListIndexAlone(int page)
    {
        var organizationId = await FillAsync();
        await using var context = TenantData.Context(database.AppConnection, organizationId);
        var executor = new ExplainingExecutor(database.AppConnection, organizationId);
        var handler = new ListDashboardsQueryHandler(new ReadStore(context), executor, MappingConfiguration.Create());

        var answer = await handler.Handle(new ListDashboardsQuery(PageOf(page)), Ct);

        answer.Data.Count.ShouldBe(PerPage);
        answer.Pagination.Total.ShouldBe(Rows);
        ShouldReadIdsFromTheIndex(executor.Plans.ShouldHaveSingleItem(), "dashboards");
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task APageOfVisualizations_ReadsItsIdsFromTheListIndexAlone(int page)
    {
        var organizationId = await FillAsync();
        await using var context = TenantData.Context(database.AppConnection, organizationId);
        await using var dataSource = NpgsqlDataSource.Create(database.AppConnection);
        var executor = new ExplainingExecutor(database.AppConnection, organizationId);
        var handler = new ListVisualizationsQueryHandler(
            new ReadStore(context), executor, new LatestResultColumns(dataSource, new FixedTenant(organizationId)));

        var answer = await handler.Handle(new ListVisualizationsQuery(PageOf(page)), Ct);

        answer.Data.Count.ShouldBe(PerPage);
        answer.Pagination.Total.ShouldBe(Rows);
        ShouldReadIdsFromTheIndex(executor.Plans.ShouldHaveSingleItem(), "visualizations");
    }

    private static Dictionary<string, string?> PageOf(int page) => new()
    {
        ["page"] = page.ToString(CultureInfo.InvariantCulture),
        ["per_page"] = PerPage.ToString(CultureInfo.InvariantCulture),
    };

    private static void ShouldReadIdsFromTheIndex(string plan, string table) => plan.ShouldSatisfyAllConditions(
        () => plan.ShouldContain($"Index Only Scan using ix_{table}_organization_id_updated_at_id", customMessage: plan),
        () => plan.ShouldContain($"Index Scan using pk_{table}", customMessage: plan),
        () => plan.ShouldNotContain($"Seq Scan on {table}", customMessage: plan),
        () => plan.ShouldNotContain("Incremental Sort", customMessage: plan));

    /// <summary>An organization with <see cref="Rows"/> dashboards and visualizations, and a smaller one beside it; answers the first.</summary>
    private async Task<Guid> FillAsync()
    {
        var organizations = new List<Guid>();
        foreach (var (name, rows) in new[] { ("Big", Rows), ("Small", 1_000) })
        {
            var organization = await TenantData.CreateOrganizationAsync(database.AppConnection, name);
            var owner = (await TenantData.AddUsersAsync(database.AppConnection, organization.Id, 1, _ => "Owner")).Single();
            var source = DataSource.Create(
                Guid.CreateVersion7(), organization.Id, "dw", ConnectionSettings.Postgresql("h", 5432, "d", "u"), null, DataSourceLimits.Default, TenantData.Epoch);
            var query = SavedQuery.Create(Guid.CreateVersion7(), organization.Id, owner.Id, "Sales", null, "SELECT 1 AS v", [], null, source, null, TenantData.Epoch);
            await using (var context = TenantData.Context(database.AppConnection, organization.Id))
            {
                context.DataSources.Add(source);
                context.SavedQueries.Add(query);
                await context.SaveChangesAsync(Ct);
            }

            await using var connection = new NpgsqlConnection(database.OwnerConnection);
            await connection.OpenAsync(Ct);
            await using var fill = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    new NpgsqlBatchCommand(
                        "INSERT INTO dashboards (id, organization_id, name, tags, tiles, parameters, parameter_mappings, owner_id, latest_version, created_at, updated_at) " +
                        "SELECT gen_random_uuid(), $1, 'Dashboard ' || g, '{}', '[]', '[]', '[]', $2, 1, now() - g * interval '1 minute', now() - g * interval '1 minute' " +
                        "FROM generate_series(1, $3) g")
                    {
                        Parameters = { Value(organization.Id), Value(owner.Id), Value(rows) },
                    },
                    new NpgsqlBatchCommand(
                        "INSERT INTO visualizations (id, organization_id, query_id, name, type, options, tags, owner_id, created_at, updated_at) " +
                        "SELECT gen_random_uuid(), $1, $3, 'Chart ' || g, 'counter', '{\"value_column\": \"v\"}', '{}', $2, now() - g * interval '1 minute', now() - g * interval '1 minute' " +
                        "FROM generate_series(1, $4) g")
                    {
                        Parameters = { Value(organization.Id), Value(owner.Id), Value(query.Id), Value(rows) },
                    },
                },
            };
            await fill.ExecuteNonQueryAsync(Ct);
            organizations.Add(organization.Id);
        }

        await using (var connection = new NpgsqlConnection(database.OwnerConnection))
        {
            await connection.OpenAsync(Ct);
            foreach (var table in new[] { "dashboards", "visualizations" })
            {
                await VacuumAsync(connection, table);
            }
        }

        return organizations[0];
    }

    /// <summary>
    /// Runs the handler's statements as the real executor does, and first asks PostgreSQL for the
    /// plan of each list statement, with its parameters, as the application role in the organization
    /// (row-level security applies).
    /// </summary>
    private sealed class ExplainingExecutor(string connectionString, Guid organizationId) : IQueryExecutor
    {
        private readonly QueryExecutor _inner = new();

        public List<string> Plans { get; } = [];

        public async Task<List<T>> ToListAsync<T>(IQueryable<T> query, CancellationToken cancellationToken)
        {
            Plans.Add(await ExplainAsync(query.CreateDbCommand(), cancellationToken));
            return await _inner.ToListAsync(query, cancellationToken);
        }

        public Task<int> CountAsync<T>(IQueryable<T> query, CancellationToken cancellationToken) => _inner.CountAsync(query, cancellationToken);

        public Task<T?> FirstOrDefaultAsync<T>(IQueryable<T> query, CancellationToken cancellationToken) =>
            _inner.FirstOrDefaultAsync(query, cancellationToken);

        private async Task<string> ExplainAsync(DbCommand statement, CancellationToken cancellationToken)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var setting = new NpgsqlCommand("SELECT set_config('loupe.organization_id', $1, true)", connection, transaction))
            {
                setting.Parameters.Add(Value(organizationId.ToString()));
                await setting.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var explain = new NpgsqlCommand("EXPLAIN " + statement.CommandText, connection, transaction);
            foreach (NpgsqlParameter parameter in statement.Parameters)
            {
                explain.Parameters.Add(parameter.Clone());
            }

            await using var reader = await explain.ExecuteReaderAsync(cancellationToken);
            var lines = new List<string>();
            while (await reader.ReadAsync(cancellationToken))
            {
                lines.Add(reader.GetString(0));
            }

            return string.Join('\n', lines);
        }
    }

    /// <summary>
    /// What autovacuum leaves a freshly filled table with: statistics, and the visibility map an
    /// index-only scan relies on. A transaction of a neighbouring test that started before the fill
    /// keeps VACUUM from marking pages all-visible, so it is repeated until nearly all are.
    /// </summary>
    private static async Task VacuumAsync(NpgsqlConnection connection, string table)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            await using (var vacuum = new NpgsqlCommand($"VACUUM ANALYZE {table}", connection))
            {
                await vacuum.ExecuteNonQueryAsync(Ct);
            }

            await using var visible = new NpgsqlCommand(
                $"SELECT relallvisible::float8 / greatest(relpages, 1) FROM pg_class WHERE oid = '{table}'::regclass", connection);
            if ((double)(await visible.ExecuteScalarAsync(Ct))! >= 0.99)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), Ct);
        }
    }

    private static NpgsqlParameter<T> Value<T>(T value) => new() { TypedValue = value };
}
