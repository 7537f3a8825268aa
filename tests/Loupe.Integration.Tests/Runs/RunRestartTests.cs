using System.Net;
using System.Text.Json;
using Loupe.Infrastructure.Jobs;
using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Jobs;
using Loupe.Integration.Tests.Support;
using Npgsql;

namespace Loupe.Integration.Tests.Runs;

/// <summary>
/// PostgreSQL restarted (docs/quality-targets.md) while runs wait and one is in flight — no queued run is lost. Loupe's
/// database and the data source both live on the restartable cluster of <c>build/test.sh</c> (as in a
/// one-server deployment), which this class stops and starts; the shared cluster is never touched.
/// </summary>
[Collection(JobEngineSerial.Name)]
public sealed class RunRestartTests : IAsyncLifetime
{
    private const int QueuedRuns = 10;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private string? _database;
    private string? _source;
    private LoupeApiFactory? _factory;
    private bool _stopped;

    public async ValueTask InitializeAsync()
    {
        if (RestartablePostgres.MissingReason is not null)
        {
            return;
        }

        _database = await RestartablePostgres.CreateMigratedDatabaseAsync();
        _source = await RestartablePostgres.CreateEmptyDatabaseAsync();
        _factory = new LoupeApiFactory(
            RestartablePostgres.AppConnection(_database),
            RestartablePostgres.OwnerConnection(_database),
            settings: new Dictionary<string, string?>
            {
                ["Jobs:RunInApi"] = "true",
                ["Jobs:PollMilliseconds"] = "250",
                ["Jobs:SweepSeconds"] = "1",
                ["Jobs:RetryBaseSeconds"] = "0.2",
                ["Jobs:RetryMaxSeconds"] = "1",

                // One run at a time: the others wait in the queue behind the one in flight.
                ["Jobs:MaxRunningPerOrganization"] = "1",
                ["Runs:RetentionSweepMinutes"] = "0",
                ["Jobs:Retention:SweepMinutes"] = "0",
            });
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopped)
        {
            await RestartablePostgres.StartAsync();
        }

        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        NpgsqlConnection.ClearAllPools();
        foreach (var database in new[] { _database, _source }.OfType<string>())
        {
            await RestartablePostgres.DropDatabaseQuietlyAsync(database);
        }
    }

    [Fact]
    public async Task PostgresRestarted_WhileRunsWaitAndOneRuns_EveryRunSucceeds_AndTheEngineListensAgain()
    {
        Assert.SkipWhen(RestartablePostgres.MissingReason is not null, RestartablePostgres.MissingReason ?? string.Empty);
        var factory = _factory!;
        var identity = new IdentityDriver(factory);
        using var anonymous = factory.CreateClient();
        var admin = await identity.RegisterAsync();
        var source = await RunsApi.CreateSourceAsync(admin, RestartablePostgres.AdminConnection, _source!);
        var sourceConnection = RestartablePostgres.AdminConnectionTo(_source!);
        var ownerConnection = RestartablePostgres.Unpooled(RestartablePostgres.OwnerConnection(_database!));

        // The run in flight sleeps for what the control row says when its attempt starts: far beyond
        // the test for the first attempt, not at all for any attempt after the restart.
        await SlowSource.InstallAsync(sourceConnection, 600);
        var inFlight = (await RunsApi.StartAsync(admin, source, SlowSource.ControlledSql(7))).GetProperty("id").GetGuid();
        await RunsApi.ReachesAsync(admin, inFlight, "running");
        await Eventually.HoldsAsync(
            async () => await SlowSource.ActiveFetchesAsync(RestartablePostgres.AdminConnection, _source!) == 1,
            TimeSpan.FromSeconds(30),
            "the first attempt is in the data source");

        var waiting = new List<(Guid Id, int Rows)>();
        for (var i = 0; i < QueuedRuns; i++)
        {
            var rows = 1000 + i;
            var run = await RunsApi.StartAsync(admin, source, $"select g as n, 'row ' || g as label from generate_series(1, {rows}) g order by g");
            waiting.Add((run.GetProperty("id").GetGuid(), rows));
        }

        // The first attempt took its snapshot already; the next one ends at once.
        await SlowSource.SetPauseAsync(sourceConnection, 0);
        foreach (var (id, _) in waiting)
        {
            (await IdentityApi.GetOkAsync(admin.Client, $"/api/v1/runs/{id}")).GetProperty("status").GetString().ShouldBe("queued");
        }

        await RestartablePostgres.StopAsync();
        _stopped = true;
        using (var down = await anonymous.GetAsync("/health/ready", TestContext.Current.CancellationToken))
        {
            await down.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
        }

        // While the database is down the API answers 503 problem+json (not a 500), with Retry-After.
        using (var read = await admin.Client.GetAsync($"/api/v1/runs/{waiting[0].Id}", TestContext.Current.CancellationToken))
        {
            (await read.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable)).GetProperty("code").GetString().ShouldBe("database.unavailable");
            read.Headers.RetryAfter.ShouldNotBeNull();
        }

        await RestartablePostgres.StartAsync();
        _stopped = false;

        // The API is ready again within 5 s of the server coming back.
        await Eventually.HoldsAsync(
            async () =>
            {
                using var readiness = await anonymous.GetAsync("/health/ready", TestContext.Current.CancellationToken);
                return readiness.StatusCode;
            },
            status => status == HttpStatusCode.OK,
            TimeSpan.FromSeconds(5),
            "the API is ready again within 5 s");

        JsonElement[] finished;
        try
        {
            finished = await Task.WhenAll(waiting.Select(w => w.Id).Prepend(inFlight).Select(id => RunsApi.FinishedAsync(admin, id, Patience)));
        }
        catch (TimeoutException)
        {
            TestContext.Current.TestOutputHelper?.WriteLine(await RunJobRows.DescribeAsync(ownerConnection));
            throw;
        }

        var all = await RunJobRows.DescribeAsync(ownerConnection);
        finished.ShouldAllBe(run => run.GetProperty("status").GetString() == "succeeded", all);

        // The run in flight was tried again with a new attempt, whose result is the run's: its job was
        // queued again when Loupe's database went away under it, not failed.
        finished[0].GetProperty("attempt").GetInt32().ShouldBeGreaterThanOrEqualTo(2, all);
        (await RunJobRows.GetAsync(ownerConnection, inFlight)).JobAttempt.ShouldNotBeNull().ShouldBeGreaterThanOrEqualTo(2, all);
        (await IdentityApi.GetOkAsync(admin.Client, $"/api/v1/runs/{inFlight}/results")).GetProperty("data")[0][0].GetInt64().ShouldBe(7);

        // The waiting runs ran once each, after the restart, with their whole results.
        foreach (var (id, rows) in waiting)
        {
            var run = finished.Single(r => r.GetProperty("id").GetGuid() == id);
            run.GetProperty("attempt").GetInt32().ShouldBe(1, all);
            run.GetProperty("row_count").GetInt64().ShouldBe(rows);
            var page = await IdentityApi.GetOkAsync(admin.Client, $"/api/v1/runs/{id}/results?per_page=10000");
            page.GetProperty("pagination").GetProperty("total").GetInt64().ShouldBe(rows);
            var values = page.GetProperty("data").EnumerateArray().Select(r => r[0].GetInt64()).ToList();
            values.ShouldBe(Enumerable.Range(1, rows).Select(n => (long)n).ToList());
        }

        // No job is left behind, and the engine listens again on a new connection.
        (await RunJobRows.AllAsync(ownerConnection)).ShouldAllBe(r => r.JobState == "succeeded", all);
        await Eventually.HoldsAsync(
            async () => await ListenersAsync(_database!) == 1, TimeSpan.FromSeconds(30), "the engine's LISTEN connection is back");
        var after = (await RunsApi.StartAsync(admin, source, "select 42 as answer")).GetProperty("id").GetGuid();
        (await RunsApi.FinishedAsync(admin, after)).GetProperty("status").GetString().ShouldBe("succeeded");
    }

    private static Task<long> ListenersAsync(string database) =>
        CountAsync(
            $"SELECT count(*) FROM pg_stat_activity WHERE datname = '{database}' AND application_name = '{JobsDataSource.ApplicationName}' " +
            "AND query ILIKE 'LISTEN%' AND state = 'idle'");

    private static async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(RestartablePostgres.AdminConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
