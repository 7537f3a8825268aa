using System.Diagnostics;
using System.Text;
using Loupe.Integration.Tests.Jobs;
using Loupe.Integration.Tests.Support;
using Npgsql;

namespace Loupe.Integration.Tests.Schedules;

/// <summary>
/// Two worker processes tick the same due schedules; one is killed with SIGKILL in the middle of the
/// work. The other fires what is left: every schedule has exactly one run, none lost, none doubled
/// (counted from the rows).
/// </summary>
[Collection(JobEngineSerial.Name)]
public sealed class ScheduleWorkerKillTests : IAsyncLifetime
{
    private const int Schedules = 3_000;

    private readonly ScratchDatabases _databases = new();
    private string _database = string.Empty;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _database = await _databases.MigratedAsync();

    public ValueTask DisposeAsync() => _databases.DisposeAsync();

    [Fact]
    public async Task AWorkerKilledDuringATick_LosesNoScheduleAndDoublesNone()
    {
        await SeedAsync();
        var settings = new Dictionary<string, string>
        {
            // Small batches: many transactions, so the kill lands between and inside them. Runs go to a queue nobody serves.
            ["Schedules__BatchSize"] = "10",
            ["Schedules__TickMilliseconds"] = "100",
            ["Jobs__Queues__0"] = "idle",
        };
        var victimOutput = new StringBuilder();
        var survivorOutput = new StringBuilder();
        using var victim = WorkerProcess.Start(TestPostgres.AppConnection(_database), TestPostgres.OwnerConnection(_database), "schedules-victim", victimOutput, settings);
        Process? survivor = null;
        try
        {
            await Eventually.HoldsAsync(
                async () => await RunsAsync() > 0,
                TimeSpan.FromSeconds(90),
                $"the first worker fired some schedules; its output: {victimOutput}");
            survivor = WorkerProcess.Start(TestPostgres.AppConnection(_database), TestPostgres.OwnerConnection(_database), "schedules-survivor", survivorOutput, settings);
            await Eventually.HoldsAsync(
                async () => await RunsAsync() > Schedules / 3,
                TimeSpan.FromSeconds(90),
                $"both workers fired; outputs: {victimOutput} {survivorOutput}");

            victim.Kill();
            await victim.WaitForExitAsync(Ct);
            var atKill = await RunsAsync();
            atKill.ShouldBeLessThan(Schedules, "the kill came after the last firing: make the work larger");

            await Eventually.HoldsAsync(
                async () => await ScalarAsync("SELECT count(*) FROM schedules WHERE next_run_at <= now()") == 0,
                TimeSpan.FromSeconds(120),
                $"the surviving worker fired what was left; its output: {survivorOutput}");
        }
        finally
        {
            if (!victim.HasExited)
            {
                victim.Kill();
            }

            if (survivor is not null)
            {
                if (!survivor.HasExited)
                {
                    survivor.Kill();
                }

                survivor.Dispose();
            }
        }

        (await RunsAsync()).ShouldBe(Schedules);
        (await ScalarAsync("SELECT count(DISTINCT schedule_id) FROM query_runs WHERE schedule_id IS NOT NULL")).ShouldBe(Schedules);
        (await ScalarAsync("SELECT count(*) FROM schedules s WHERE s.last_run_id IS NULL OR NOT EXISTS (SELECT 1 FROM query_runs r WHERE r.id = s.last_run_id)")).ShouldBe(0);
        (await ScalarAsync("SELECT count(*) FROM query_runs r WHERE NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = r.job_id)")).ShouldBe(0);
    }

    private Task<long> RunsAsync() => ScalarAsync("SELECT count(*) FROM query_runs WHERE schedule_id IS NOT NULL");

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(TestPostgres.OwnerConnection(_database));
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>An organization, a data source, a saved query and the schedules of it, all due since a minute.</summary>
    private async Task SeedAsync()
    {
        var organizationId = Guid.CreateVersion7();
        var dataSourceId = Guid.CreateVersion7();
        var queryId = Guid.CreateVersion7();
        await using var connection = new NpgsqlConnection(TestPostgres.OwnerConnection(_database));
        await connection.OpenAsync(Ct);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("INSERT INTO organizations (id, name, time_zone, created_at, updated_at) VALUES ($1, 'Kill', 'UTC', now(), now())")
                {
                    Parameters = { new NpgsqlParameter<Guid> { TypedValue = organizationId } },
                },
                new NpgsqlBatchCommand(
                    "INSERT INTO data_sources (id, organization_id, name, type, host, port, database, username, ssl_mode, query_timeout_seconds, max_rows, allow_privileged_account, created_at, updated_at) " +
                    "VALUES ($1, $2, 'Kill', 'postgresql', '127.0.0.1', 5432, 'nowhere', 'nobody', 'disable', 30, 1000, false, now(), now())")
                {
                    Parameters = { new NpgsqlParameter<Guid> { TypedValue = dataSourceId }, new NpgsqlParameter<Guid> { TypedValue = organizationId } },
                },
                new NpgsqlBatchCommand(
                    "INSERT INTO saved_queries (id, organization_id, name, sql, parameters, tags, data_source_id, latest_version, created_at, updated_at) " +
                    "VALUES ($1, $2, 'Kill', 'SELECT 1 AS one', '[]', '{}', $3, 1, now(), now())")
                {
                    Parameters =
                    {
                        new NpgsqlParameter<Guid> { TypedValue = queryId },
                        new NpgsqlParameter<Guid> { TypedValue = organizationId },
                        new NpgsqlParameter<Guid> { TypedValue = dataSourceId },
                    },
                },
                new NpgsqlBatchCommand(
                    "INSERT INTO schedules (id, organization_id, query_id, name, parameters, cron, timezone, enabled, tags, next_run_at, consecutive_failures, created_at, updated_at) " +
                    "SELECT gen_random_uuid(), $1, $2, 'Kill ' || g, '{}', '0 0 1 1 *', 'UTC', true, '{}', now() - interval '1 minute', 0, now(), now() FROM generate_series(1, $3) g")
                {
                    Parameters =
                    {
                        new NpgsqlParameter<Guid> { TypedValue = organizationId },
                        new NpgsqlParameter<Guid> { TypedValue = queryId },
                        new NpgsqlParameter<int> { TypedValue = Schedules },
                    },
                },
            },
        };
        await batch.ExecuteNonQueryAsync(Ct);
    }
}
