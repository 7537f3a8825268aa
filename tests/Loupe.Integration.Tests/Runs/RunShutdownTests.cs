using System.Diagnostics;
using System.Globalization;
using System.Text;
using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Jobs;
using Loupe.Integration.Tests.Support;
using Npgsql;

namespace Loupe.Integration.Tests.Runs;

/// <summary>
/// SIGTERM and SIGKILL (docs/quality-targets.md) at the level of runs: a real <c>Loupe.Worker</c> process running runs
/// is sent SIGTERM. It exits within 30 s with its default settings; a run that ends within the grace
/// period keeps its result, and one that does not is handed back (without using up a job attempt) and
/// finished by another node. Killed with SIGKILL instead, its run is taken up by the other node within
/// 60 s, as a second attempt whose result is the run's.
/// </summary>
[Collection(JobEngineSerial.Name)]
public sealed class RunShutdownTests : IAsyncLifetime
{
    /// <summary>The short run sleeps this long: well within the worker's 25 s grace period.</summary>
    private const double ShortRunSeconds = 5;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly DatabaseFixture _database = new();
    private string _source = string.Empty;
    private LoupeApiFactory _factory = null!;

    public async ValueTask InitializeAsync()
    {
        await _database.InitializeAsync();
        _source = await TestPostgres.CreateEmptyDatabaseAsync();

        // The API only (no engine in it): the worker process is the one node at first.
        _factory = LoupeApiFactory.For(_database, settings: new Dictionary<string, string?> { ["Runs:RetentionSweepMinutes"] = "0", ["Jobs:Retention:SweepMinutes"] = "0" });
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await TestPostgres.DropDatabaseAsync(_source);
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Sigterm_DuringTwoRuns_TheWorkerExitsWithin30Seconds_OneRunFinishesThere_TheOtherIsHandedBackAndFinishedElsewhere()
    {
        var admin = await new IdentityDriver(_factory).RegisterAsync();
        var source = await RunsApi.CreateSourceAsync(admin, TestPostgres.AdminConnection, _source);
        var sourceConnection = new NpgsqlConnectionStringBuilder(TestPostgres.AdminConnection) { Database = _source }.ConnectionString;

        // The long run sleeps for what the control row says when its attempt starts: far beyond the
        // grace period for the worker's attempt, not at all for the attempt that takes it over.
        await SlowSource.InstallAsync(sourceConnection, 600);
        var output = new StringBuilder();
        using var worker = StartWorker(output, "worker-sigterm");
        var ownerConnection = _database.OwnerConnection;
        try
        {
            var longRun = (await RunsApi.StartAsync(admin, source, SlowSource.ControlledSql(1))).GetProperty("id").GetGuid();
            var shortRun = (await RunsApi.StartAsync(admin, source, SlowSource.PausedSql(2, ShortRunSeconds))).GetProperty("id").GetGuid();
            await Eventually.HoldsAsync(
                async () => await SlowSource.ActiveFetchesAsync(TestPostgres.AdminConnection, _source) == 2, Patience, $"the worker runs both; its output: {output}");
            (await RunJobRows.GetAsync(ownerConnection, longRun)).LeaseOwner.ShouldBe("worker-sigterm");
            (await RunJobRows.GetAsync(ownerConnection, shortRun)).LeaseOwner.ShouldBe("worker-sigterm");

            // The worker's attempts took their snapshots already; any later attempt ends at once.
            await SlowSource.SetPauseAsync(sourceConnection, 0);

            // Another node is up, as in a rolling restart: it takes what the worker hands back.
            await using var rescuer = await JobNode.Create(_database.Name, "node-rescuer").StartAsync();

            var signalled = Stopwatch.GetTimestamp();
            Signal(worker.Id, "TERM");
            using (var limit = new CancellationTokenSource(Patience))
            {
                await worker.WaitForExitAsync(limit.Token);
            }

            var exitedAfter = Stopwatch.GetElapsedTime(signalled);
            TestContext.Current.TestOutputHelper?.WriteLine($"The worker exited {exitedAfter.TotalSeconds:F1} s after SIGTERM.");
            exitedAfter.ShouldBeLessThan(TimeSpan.FromSeconds(30), $"the worker's output: {output}");

            var shortFinished = await RunsApi.FinishedAsync(admin, shortRun, Patience);
            var longFinished = await RunsApi.FinishedAsync(admin, longRun, Patience);
            var all = await RunJobRows.DescribeAsync(ownerConnection);

            // The short run ended during the grace period, on the worker, once: its result is whole.
            shortFinished.GetProperty("status").GetString().ShouldBe("succeeded", all);
            shortFinished.GetProperty("attempt").GetInt32().ShouldBe(1, all);
            (await RunJobRows.GetAsync(ownerConnection, shortRun)).JobAttempt.ShouldBe(1, all);
            (await IdentityApi.GetOkAsync(admin.Client, $"/api/v1/runs/{shortRun}/results")).GetProperty("data")[0][0].GetInt64().ShouldBe(2);

            // The long run was handed back: the run counts a second attempt, whose result is the run's;
            // the job got its attempt back, so the rescuer's claim is its first again.
            longFinished.GetProperty("status").GetString().ShouldBe("succeeded", all);
            longFinished.GetProperty("attempt").GetInt32().ShouldBe(2, all);
            var longJob = await RunJobRows.GetAsync(ownerConnection, longRun);
            longJob.JobState.ShouldBe("succeeded", all);
            longJob.JobAttempt.ShouldBe(1, all);
            (await IdentityApi.GetOkAsync(admin.Client, $"/api/v1/runs/{longRun}/results")).GetProperty("data")[0][0].GetInt64().ShouldBe(1);

            // The worker's attempt was cancelled in the database, not left sleeping after the worker left.
            await Eventually.HoldsAsync(
                async () => await SlowSource.ActiveFetchesAsync(TestPostgres.AdminConnection, _source) == 0, TimeSpan.FromSeconds(5), "no query of the runs is left in the database");
        }
        finally
        {
            if (!worker.HasExited)
            {
                worker.Kill();
            }
        }
    }

    [Fact]
    public async Task Sigkill_DuringARun_AnotherNodeTakesItUpWithin60Seconds_AndTheRunSucceedsOnItsSecondAttempt()
    {
        var admin = await new IdentityDriver(_factory).RegisterAsync();
        var source = await RunsApi.CreateSourceAsync(admin, TestPostgres.AdminConnection, _source);
        var sourceConnection = new NpgsqlConnectionStringBuilder(TestPostgres.AdminConnection) { Database = _source }.ConnectionString;
        await SlowSource.InstallAsync(sourceConnection, 600);
        var output = new StringBuilder();
        using var worker = StartWorker(output, "worker-sigkill");
        var ownerConnection = _database.OwnerConnection;
        try
        {
            var run = (await RunsApi.StartAsync(admin, source, SlowSource.ControlledSql(7))).GetProperty("id").GetGuid();
            await Eventually.HoldsAsync(
                async () => await SlowSource.ActiveFetchesAsync(TestPostgres.AdminConnection, _source) == 1, Patience, $"the worker runs it; its output: {output}");
            (await RunJobRows.GetAsync(ownerConnection, run)).LeaseOwner.ShouldBe("worker-sigkill");
            await SlowSource.SetPauseAsync(sourceConnection, 0);

            // The worker dies mid-run, with no chance to hand anything back; another node (default lease) is up.
            await using var rescuer = await JobNode.Create(_database.Name, "node-rescuer").StartAsync();
            worker.Kill();
            var killed = Stopwatch.GetTimestamp();
            await worker.WaitForExitAsync(TestContext.Current.CancellationToken);

            var finished = await RunsApi.FinishedAsync(admin, run, TimeSpan.FromSeconds(90));
            var tookOver = Stopwatch.GetElapsedTime(killed);
            var all = await RunJobRows.DescribeAsync(ownerConnection);
            TestContext.Current.TestOutputHelper?.WriteLine($"The run finished {tookOver.TotalSeconds:F1} s after the worker was killed.");
            tookOver.ShouldBeLessThan(TimeSpan.FromSeconds(60), all);
            finished.GetProperty("status").GetString().ShouldBe("succeeded", all);
            finished.GetProperty("attempt").GetInt32().ShouldBe(2, all);
            var job = await RunJobRows.GetAsync(ownerConnection, run);
            job.JobAttempt.ShouldBe(2, all);
            job.JobState.ShouldBe("succeeded", all);
            (await IdentityApi.GetOkAsync(admin.Client, $"/api/v1/runs/{run}/results")).GetProperty("data")[0][0].GetInt64().ShouldBe(7);
        }
        finally
        {
            if (!worker.HasExited)
            {
                worker.Kill();
            }
        }
    }

    /// <summary>Sends a signal with kill(1): .NET can only kill a process, not signal it.</summary>
    private static void Signal(int processId, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", processId.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("kill did not start.");
        kill.WaitForExit();
        kill.ExitCode.ShouldBe(0);
    }

    /// <summary>The worker on this class's database, with its default engine settings (no retention sweep).</summary>
    private Process StartWorker(StringBuilder output, string nodeId) => WorkerProcess.Start(
        _database.AppConnection, _database.OwnerConnection, nodeId, output, new Dictionary<string, string> { ["Runs__RetentionSweepMinutes"] = "0", ["Jobs__Retention__SweepMinutes"] = "0" });
}
