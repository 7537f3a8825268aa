using Loupe.Application.Common.Connectors;
using Loupe.Application.Common.Results;
using Loupe.Domain.DataSources;
using Loupe.Domain.Runs;
using Loupe.Infrastructure.Results;
using Loupe.Infrastructure.Runs;
using Loupe.Integration.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Loupe.Integration.Tests.StoredResults;

/// <summary>An organization with a data source, runs to store results for, and result stores acting in it (or in another).</summary>
internal sealed class ResultTenant : IAsyncDisposable
{
    private readonly DatabaseFixture _database;

    private ResultTenant(DatabaseFixture database, Guid organizationId, Guid dataSourceId)
    {
        _database = database;
        OrganizationId = organizationId;
        DataSourceId = dataSourceId;
        Pool = NpgsqlDataSource.Create(database.AppConnection);
    }

    public Guid OrganizationId { get; }

    public Guid DataSourceId { get; }

    /// <summary>The application's pool on the test database, as the host registers it.</summary>
    public NpgsqlDataSource Pool { get; }

    public static async Task<ResultTenant> CreateAsync(DatabaseFixture database, string name = "Acme")
    {
        var organization = await TenantData.CreateOrganizationAsync(database.AppConnection, name);
        var dataSource = DataSource.Create(
            Guid.CreateVersion7(), organization.Id, "Warehouse", ConnectionSettings.Sqlite("w.db"), null, DataSourceLimits.Default, TenantData.Epoch);
        await using var context = TenantData.Context(database.AppConnection, organization.Id);
        context.DataSources.Add(dataSource);
        await context.SaveChangesAsync();
        return new ResultTenant(database, organization.Id, dataSource.Id);
    }

    /// <summary>A queued run of this organization (the parent row its results need).</summary>
    public async Task<Guid> NewRunAsync()
    {
        var run = QueryRun.Queue(
            Guid.CreateVersion7(), OrganizationId, DataSourceId, null, null, "select 1", "[]", new string('0', QueryRun.CacheKeyLength), 60, 1000, TenantData.Epoch);
        await using var context = TenantData.Context(_database.AppConnection, OrganizationId);
        context.QueryRuns.Add(run);
        await context.SaveChangesAsync();
        return run.Id;
    }

    /// <summary>A store acting in this organization.</summary>
    public IResultStore Store() => StoreIn(OrganizationId);

    /// <summary>A store acting in this organization whose pages hold what <paramref name="options"/> allow (Runs:MaxPage*).</summary>
    public IResultStore Store(RunOptions options) => StoreIn(OrganizationId, options);

    /// <summary>A store acting in <paramref name="organizationId"/> (none: no organization at all), with the default page limits unless <paramref name="options"/> are given.</summary>
    public IResultStore StoreIn(Guid? organizationId, RunOptions? options = null) =>
        new PostgresResultStore(Pool, new FixedTenant(organizationId), TimeProvider.System, Options.Create(options ?? new RunOptions()), NullLogger<PostgresResultStore>.Instance);

    /// <summary>Stores the rows as the result of the run's attempt and completes it.</summary>
    public async Task<StoredResult> StoreAsync(Guid runId, int attempt, IReadOnlyList<QueryColumn> columns, IEnumerable<object?[]> rows, bool truncated = false)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var writer = await Store().BeginAsync(runId, attempt, ct);
        await writer.ColumnsAsync(columns, ct);
        var count = 0;
        foreach (var row in rows)
        {
            await writer.RowAsync(row, ct);
            count++;
        }

        return await writer.CompleteAsync(new QueryOutcome(count, truncated, 0), ct);
    }

    /// <summary>
    /// The export as text (UTF-8), or null when the store says the result is not stored; CSV cells as stored
    /// (formulas not escaped) unless <paramref name="options"/> say otherwise.
    /// </summary>
    public async Task<string?> ExportAsync(Guid runId, int attempt, ResultFormat format, IResultStore? store = null, ExportOptions? options = null)
    {
        using var output = new MemoryStream();
        var exported = await (store ?? Store()).ExportAsync(
            runId, attempt, format, options ?? new ExportOptions(EscapeFormulas: false), output, TestContext.Current.CancellationToken);
        if (!exported)
        {
            output.Length.ShouldBe(0);
            return null;
        }

        // GetString keeps a leading U+FEFF, so a byte order mark would show in the text.
        return new System.Text.UTF8Encoding(false, true).GetString(output.ToArray());
    }

    /// <summary>Rows of the attempt's chunks, as the owner sees them (bypassing row-level security).</summary>
    public async Task<long> ChunkCountAsync(Guid runId, int? attempt = null) =>
        await OwnerCountAsync("run_result_chunks", runId, attempt);

    public async Task<long> ResultCountAsync(Guid runId, int? attempt = null) =>
        await OwnerCountAsync("run_results", runId, attempt);

    public async ValueTask DisposeAsync() => await Pool.DisposeAsync();

    private async Task<long> OwnerCountAsync(string table, Guid runId, int? attempt)
    {
        await using var connection = new NpgsqlConnection(_database.OwnerConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table} WHERE run_id = $1 AND ($2::int IS NULL OR attempt = $2)", connection);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = runId });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)attempt ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
