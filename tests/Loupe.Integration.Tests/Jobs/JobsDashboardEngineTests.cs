using Loupe.Application.Common.Jobs;
using Loupe.Infrastructure.Jobs;
using Loupe.Integration.Tests.Security;
using Loupe.Integration.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Loupe.Integration.Tests.Jobs;

/// <summary>
/// What the engine keeps for the jobs dashboard: the registry of its nodes, each job's attempts, the
/// retention of finished jobs, and paused queues.
/// </summary>
[Collection(JobEngineSerial.Name)]
public sealed class JobsDashboardEngineTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly ScratchDatabases _databases = new();
    private string _database = string.Empty;

    public async ValueTask InitializeAsync() => _database = await _databases.MigratedAsync();

    public ValueTask DisposeAsync() => _databases.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ANode_IsRegisteredWithItsSlotsAndQueues_BeatsWithItsUsedSlots_AndLeavesOnACleanStop()
    {
        using var release = new SemaphoreSlim(0);
        await using var node = await JobNode.Create(
            _database,
            "node-registered",
            services => services.AddSingleton<IJobHandler>(new TestHandler("test.hold", (_, ct) => release.WaitAsync(ct))),
            new Dictionary<string, string?> { ["Jobs:Concurrency"] = "3", ["Jobs:Queues:0"] = "default", ["Jobs:Queues:1"] = "reports" }).StartAsync();
        var readModel = node.Services.GetRequiredService<IJobsReadModel>();

        var registered = (await readModel.NodesAsync(Ct)).ShouldHaveSingleItem();
        registered.Node.ShouldBe("node-registered");
        registered.Host.ShouldBe(EngineNodeHost.Worker);
        registered.ProcessId.ShouldBe(Environment.ProcessId);
        registered.Machine.ShouldNotBeNullOrWhiteSpace();
        registered.Slots.ShouldBe(3);
        registered.SlotsUsed.ShouldBe(0);
        registered.Queues.ShouldBe(["default", "reports"]);
        registered.Lost.ShouldBeFalse();

        var id = (await node.EnqueueAsync(null, new JobRequest("test.hold", "{}", null)))[0];
        await JobRows.WaitForAsync(_database, id, Patience, "running");
        var busy = await Eventually.HoldsAsync(
            async () => (await readModel.NodesAsync(Ct)).Single(),
            n => n.SlotsUsed == 1,
            Patience,
            "the node's beat reports one used slot",
            n => $"{n.SlotsUsed} used");
        busy.HeartbeatAt.ShouldBeGreaterThanOrEqualTo(registered.HeartbeatAt);
        busy.StartedAt.ShouldBe(registered.StartedAt);

        release.Release();
        await JobRows.WaitForAsync(_database, id, Patience, "succeeded");
        await node.StopAsync();

        (await readModel.NodesAsync(Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task ANodeThatStopsBeating_IsShownLost_ThenForgottenByTheOthers()
    {
        await using var node = await JobNode.Create(
            _database,
            "node-alive",
            settings: new Dictionary<string, string?> { ["Jobs:NodeLostSeconds"] = "30", ["Jobs:NodeForgetSeconds"] = "600" }).StartAsync();
        var readModel = node.Services.GetRequiredService<IJobsReadModel>();

        // A node killed 45 s ago: its last beat is older than the lost threshold, younger than the forget one.
        await JobRows.ExecuteAsync(
            _database,
            "INSERT INTO job_nodes (node, host, machine, process_id, started_at, heartbeat_at, slots, slots_used, queues) " +
            "VALUES ('node-killed', 'api', 'elsewhere', 4242, now() - interval '1 hour', now() - interval '45 seconds', 8, 2, '{default}')");

        var nodes = await readModel.NodesAsync(Ct);
        nodes.Select(n => (n.Node, n.Host, n.Lost)).ShouldBe([("node-alive", EngineNodeHost.Worker, false), ("node-killed", EngineNodeHost.Api, true)]);
        nodes[1].SlotsUsed.ShouldBe(2);

        // Past the forget threshold the live node's next beat deletes it.
        await JobRows.ExecuteAsync(_database, "UPDATE job_nodes SET heartbeat_at = now() - interval '11 minutes' WHERE node = 'node-killed'");
        var left = await Eventually.HoldsAsync(
            () => readModel.NodesAsync(Ct),
            n => n.Count == 1,
            Patience,
            "the killed node is forgotten",
            n => string.Join(", ", n.Select(x => x.Node)));
        left.Single().Node.ShouldBe("node-alive");
    }

    [Fact]
    public async Task AJobThatFailsOnceThenSucceeds_HasTwoAttempts_WithTheirNodesOutcomesAndError()
    {
        await using var node = await JobNode.Create(_database, "node-a", services => services.AddSingleton<IJobHandler>(
            new TestHandler("test.flaky-once", (context, _) => context.Attempt == 1
                ? throw new RetryableJobException("connection refused")
                : Task.CompletedTask))).StartAsync();
        var readModel = node.Services.GetRequiredService<IJobsReadModel>();

        var id = (await node.EnqueueAsync(null, new JobRequest("test.flaky-once", "{}", null, MaxAttempts: 3)))[0];
        var row = await JobRows.WaitForAsync(_database, id, Patience, "succeeded");
        var attempts = await readModel.AttemptsAsync(id, Ct);

        attempts.Select(a => (a.Claim, a.Attempt, a.Node, a.Outcome, a.Error)).ShouldBe(
        [
            (1, 1, "node-a", JobAttemptOutcome.Retrying, "connection refused"),
            (2, 2, "node-a", (JobAttemptOutcome?)JobAttemptOutcome.Succeeded, (string?)null),
        ]);
        attempts[0].EndedAt.ShouldNotBeNull();
        attempts[0].EndedAt!.Value.ShouldBeGreaterThanOrEqualTo(attempts[0].StartedAt);
        attempts[1].StartedAt.ShouldBeGreaterThanOrEqualTo(attempts[0].EndedAt!.Value);
        attempts[1].EndedAt.ShouldBe(new DateTimeOffset(DateTime.SpecifyKind(row.FinishedAt!.Value, DateTimeKind.Utc)));
        (await readModel.AttemptsAsync(Guid.CreateVersion7(), Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task AnAttemptHandedBackAtShutdown_IsClosedAsReleased_AndTheNextClaimOpensAnother()
    {
        var id = Guid.Empty;
        await using (var first = await JobNode.Create(
            _database,
            "node-stopping",
            services => services.AddSingleton<IJobHandler>(new TestHandler("test.long", (_, ct) => Task.Delay(Timeout.Infinite, ct))),
            new Dictionary<string, string?> { ["Jobs:ShutdownGraceSeconds"] = "0" }).StartAsync())
        {
            id = (await first.EnqueueAsync(null, new JobRequest("test.long", "{}", null)))[0];
            await JobRows.WaitForAsync(_database, id, Patience, "running");
            await first.StopAsync();
        }

        await using var second = await JobNode.Create(
            _database,
            "node-next",
            services => services.AddSingleton<IJobHandler>(new TestHandler("test.long", (_, _) => Task.CompletedTask))).StartAsync();
        await JobRows.WaitForAsync(_database, id, Patience, "succeeded");
        var attempts = await second.Services.GetRequiredService<IJobsReadModel>().AttemptsAsync(id, Ct);

        // The hand-back gave its attempt back: both claims were attempt 1.
        attempts.Select(a => (a.Claim, a.Attempt, a.Node, a.Outcome)).ShouldBe(
        [
            (1, 1, "node-stopping", (JobAttemptOutcome?)JobAttemptOutcome.Released),
            (2, 1, "node-next", (JobAttemptOutcome?)JobAttemptOutcome.Succeeded),
        ]);
    }

    [Fact]
    public async Task AnAttemptWhoseLeaseExpired_IsClosedByTheSweep_WithTheReason()
    {
        await using var node = await JobNode.Create(_database, "node-sweeper", withEngine: true).StartAsync();
        var readModel = node.Services.GetRequiredService<IJobsReadModel>();
        var id = (await node.EnqueueAsync(null, new JobRequest("test.orphan", "{}", null, RunAt: DateTimeOffset.UtcNow.AddHours(1))))[0];

        // As if node-dead had claimed it and died: running, its lease expired, its attempt open.
        await JobRows.ExecuteAsync(
            _database,
            "UPDATE jobs SET state = 'running', attempt = 1, claims = 1, lease_owner = 'node-dead', claimed_at = now() - interval '1 minute', " +
            $"started_at = now() - interval '1 minute', heartbeat_at = now() - interval '1 minute', lease_expires_at = now() - interval '1 second' WHERE id = '{id}'; " +
            $"INSERT INTO job_attempts (job_id, claim, attempt, node, started_at) VALUES ('{id}', 1, 1, 'node-dead', now() - interval '1 minute')");

        var attempt = await Eventually.HoldsAsync(
            async () => (await readModel.AttemptsAsync(id, Ct)).Single(),
            a => a.Outcome is not null,
            Patience,
            "the sweep closes the attempt",
            a => $"{a.Outcome}");

        attempt.Node.ShouldBe("node-dead");
        attempt.Outcome.ShouldBe(JobAttemptOutcome.LeaseExpired);
        attempt.Error.ShouldNotBeNull();
        attempt.Error.ShouldContain("The lease of node node-dead expired during attempt 1 of 3");
    }

    [Fact]
    public async Task Retention_DeletesFinishedJobsPastTheirDays_ByTheHostsClock_InBatches_AndKeepsTheRest()
    {
        // The host's clock is a year ahead of the database's: the cut-offs follow the host's.
        var now = DateTimeOffset.UtcNow.AddYears(1);
        await using var node = JobNode.Create(
            _database,
            "node-retention",
            services => services.AddSingleton<TimeProvider>(new FixedClock(now)),
            new Dictionary<string, string?> { ["Jobs:Retention:BatchSize"] = "100" });
        var old = await node.EnqueueAsync(null, [.. Enumerable.Repeat(new JobRequest("test.old", "{}", null), 250)]);
        var kept = await node.EnqueueAsync(
            null,
            new JobRequest("test.succeeded-recently", "{}", null),
            new JobRequest("test.failed-recently", "{}", null),
            new JobRequest("test.dead-recently", "{}", null),
            new JobRequest("test.queued", "{}", null));
        var gone = await node.EnqueueAsync(
            null,
            new JobRequest("test.failed-long-ago", "{}", null),
            new JobRequest("test.cancelled-long-ago", "{}", null));
        await FinishAsync(old, "succeeded", now.AddDays(-8));
        await FinishAsync([kept[0]], "succeeded", now.AddDays(-6));
        await FinishAsync([kept[1]], "failed", now.AddDays(-29));
        await FinishAsync([kept[2]], "dead_lettered", now.AddDays(-8));
        await FinishAsync([gone[0]], "failed", now.AddDays(-31));
        await FinishAsync([gone[1]], "cancelled", now.AddDays(-40));
        await JobRows.ExecuteAsync(
            _database,
            $"INSERT INTO job_attempts (job_id, claim, attempt, node, started_at, ended_at, outcome, error) " +
            $"VALUES ('{gone[0]}', 1, 1, 'node-x', now(), now(), 'failed', 'boom'), ('{kept[1]}', 1, 1, 'node-x', now(), now(), 'failed', 'boom')");

        var deleted = await node.Services.GetRequiredService<JobRetention>().SweepAsync(Ct);

        deleted.ShouldBe(252);
        (await JobRows.AllAsync(_database)).Select(r => r.Id).ShouldBe(kept, ignoreOrder: true);
        (await AttemptJobsAsync()).ShouldBe([kept[1]]);
    }

    [Fact]
    public async Task ANodeQueuesTheRetentionJob_WhenItStarts_AndItDeletesOldFinishedJobs()
    {
        await using var node = JobNode.Create(_database, "node-a", settings: new Dictionary<string, string?> { ["Jobs:Retention:SweepMinutes"] = "60" });
        var old = (await node.EnqueueAsync(null, new JobRequest("test.old", "{}", null)))[0];
        await JobRows.ExecuteAsync(_database, $"UPDATE jobs SET state = 'succeeded', attempt = 1, finished_at = now() - interval '8 days' WHERE id = '{old}'");

        await node.StartAsync();

        var retention = await Eventually.HoldsAsync(
            async () => (await JobRows.AllAsync(_database)).Where(r => r.Kind == JobRetentionJob.JobKind).ToList(),
            rows => rows.Count == 1 && rows[0].State == "succeeded",
            Patience,
            "the retention job ran",
            rows => string.Join(", ", rows.Select(r => r.State)));
        retention.Single().OrganizationId.ShouldBeNull();
        (await JobRows.FindAsync(_database, old)).ShouldBeNull();
    }

    [Fact]
    public async Task APausedQueue_IsNotClaimed_UntilItIsResumed()
    {
        await using var node = JobNode.Create(
            _database,
            "node-a",
            services => services.AddSingleton<IJobHandler>(new TestHandler("test.quick", (_, _) => Task.CompletedTask)),
            new Dictionary<string, string?> { ["Jobs:Queues:0"] = "default", ["Jobs:Queues:1"] = "reports" });
        var queues = node.Services.GetRequiredService<IJobQueues>();

        (await queues.PauseAsync("reports", Ct)).ShouldBeTrue();
        (await queues.PauseAsync("reports", Ct)).ShouldBeFalse();
        (await queues.PausedAsync(Ct)).Select(p => p.Queue).ShouldBe(["reports"]);
        var paused = (await node.EnqueueAsync(null, new JobRequest("test.quick", "{}", null, Queue: "reports")))[0];
        var open = (await node.EnqueueAsync(null, new JobRequest("test.quick", "{}", null)))[0];
        await node.StartAsync();

        // Both were due before the node started: the claim that took the open one left the paused one.
        await JobRows.WaitForAsync(_database, open, Patience, "succeeded");
        (await JobRows.GetAsync(_database, paused)).State.ShouldBe("queued");
        (await JobRows.GetAsync(_database, paused)).Attempt.ShouldBe(0);

        (await queues.ResumeAsync("reports", Ct)).ShouldBeTrue();
        (await queues.ResumeAsync("reports", Ct)).ShouldBeFalse();
        (await queues.PausedAsync(Ct)).ShouldBeEmpty();
        await JobRows.WaitForAsync(_database, paused, Patience, "succeeded");
        await Should.ThrowAsync<ArgumentException>(() => queues.PauseAsync("Not A Queue", Ct));
    }

    private async Task FinishAsync(IReadOnlyCollection<Guid> ids, string state, DateTimeOffset finishedAt) =>
        await JobRows.ExecuteAsync(
            _database,
            $"UPDATE jobs SET state = '{state}', attempt = 1, finished_at = '{finishedAt.UtcDateTime:O}'::timestamptz " +
            $"WHERE id IN ({string.Join(", ", ids.Select(id => $"'{id}'"))})");

    private async Task<IReadOnlyList<Guid>> AttemptJobsAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(TestPostgres.OwnerConnection(_database));
        await connection.OpenAsync(Ct);
        await using var command = new Npgsql.NpgsqlCommand("SELECT job_id FROM job_attempts ORDER BY job_id", connection);
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }
}
