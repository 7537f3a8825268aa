using System.Collections.Concurrent;
using System.Diagnostics;
using Loupe.Application.Common.Jobs;
using Loupe.Infrastructure.Jobs;
using Loupe.Integration.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Loupe.Integration.Tests.Jobs;

/// <summary>Several nodes on one database: each job runs once at a time, limits hold across nodes, and nodes survive losing their connections.</summary>
[Collection(JobEngineSerial.Name)]
public sealed class JobClusterTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly ScratchDatabases _databases = new();
    private string _database = string.Empty;

    public async ValueTask InitializeAsync() => _database = await _databases.MigratedAsync();

    public ValueTask DisposeAsync() => _databases.DisposeAsync();

    [Fact]
    public async Task TwoNodes_RunEachOf200JobsExactlyOnce()
    {
        var runs = new ConcurrentDictionary<Guid, int>();
        var nodes = new ConcurrentDictionary<string, int>();
        Action<IServiceCollection> handler = services => services.AddScoped<IJobHandler>(provider => new TestHandler("test.count", async (context, _) =>
        {
            runs.AddOrUpdate(context.JobId, 1, (_, n) => n + 1);
            await Task.Yield();
        }));
        await using var a = JobNode.Create(_database, "node-a", handler);
        await using var b = JobNode.Create(_database, "node-b", handler);
        await a.StartAsync();
        await b.StartAsync();

        var ids = new List<Guid>();
        for (var batch = 0; batch < 10; batch++)
        {
            ids.AddRange(await a.EnqueueAsync(null, [.. Enumerable.Range(0, 20).Select(_ => new JobRequest("test.count", "{}", null))]));
        }

        await Eventually.HoldsAsync(
            async () => await JobRows.CountAsync(_database, "WHERE state = 'succeeded'") == 200, Patience, "all 200 jobs succeeded");

        runs.Keys.Order().ShouldBe(ids.Order());
        runs.Values.ShouldAllBe(n => n == 1);
        (await JobRows.AllAsync(_database)).ShouldAllBe(j => j.Attempt == 1);
    }

    [Fact]
    public async Task AnOrganization_NeverRunsMoreThanItsLimit_AcrossTwoNodes()
    {
        var organization = await TenantData.CreateOrganizationAsync(TestPostgres.AppConnection(_database));
        var other = await TenantData.CreateOrganizationAsync(TestPostgres.AppConnection(_database), "Other");
        var running = 0;
        var most = 0;
        var otherRan = new TaskCompletionSource();
        Action<IServiceCollection> handlers = services =>
        {
            services.AddSingleton<IJobHandler>(new TestHandler("test.busy", async (_, ct) =>
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref most, now);
                await Task.Delay(TimeSpan.FromMilliseconds(400), ct);
                Interlocked.Decrement(ref running);
            }));
            services.AddSingleton<IJobHandler>(new TestHandler("test.other", (_, _) =>
            {
                otherRan.TrySetResult();
                return Task.CompletedTask;
            }));
        };
        var settings = new Dictionary<string, string?> { ["Jobs:Concurrency"] = "8", ["Jobs:MaxRunningPerOrganization"] = "5" };
        await using var a = JobNode.Create(_database, "node-a", handlers, settings);
        await using var b = JobNode.Create(_database, "node-b", handlers, settings);
        var busy = await a.EnqueueAsync(organization.Id, [.. Enumerable.Range(0, 16).Select(_ => new JobRequest("test.busy", "{}", organization.Id))]);
        await a.StartAsync();
        await b.StartAsync();

        // Other organizations are not held up by a busy one: there are free slots for them.
        await b.EnqueueAsync(other.Id, new JobRequest("test.other", "{}", other.Id));
        await otherRan.Task.WaitAsync(Patience, TestContext.Current.CancellationToken);
        foreach (var id in busy)
        {
            await JobRows.WaitForAsync(_database, id, Patience, "succeeded");
        }

        most.ShouldBeLessThanOrEqualTo(5);
        most.ShouldBeGreaterThanOrEqualTo(2);
        (await JobRows.AllAsync(_database)).Where(j => j.Kind == "test.busy").Select(j => j.Attempt).ShouldAllBe(n => n == 1);
    }

    [Fact]
    public async Task CancellingARunningJob_FromAnotherNode_FiresItsTokenWithinTwoSeconds()
    {
        var organization = await TenantData.CreateOrganizationAsync(TestPostgres.AppConnection(_database));
        var started = new TaskCompletionSource();
        var cancelled = new TaskCompletionSource<long>();

        // Only node-a serves the job's queue, so node-a holds it; node-b is a node like any other.
        await using var a = await JobNode.Create(
            _database,
            "node-a",
            services => services.AddSingleton<IJobHandler>(new TestHandler("test.cancellable", async (_, ct) =>
            {
                await using var registration = ct.Register(() => cancelled.TrySetResult(Stopwatch.GetTimestamp()));
                started.TrySetResult();
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            })),
            new Dictionary<string, string?> { ["Jobs:Queues:0"] = "held-by-a" }).StartAsync();
        await using var b = await JobNode.Create(_database, "node-b").StartAsync();
        var id = (await a.EnqueueAsync(organization.Id, new JobRequest("test.cancellable", "{}", organization.Id, Queue: "held-by-a")))[0];
        await started.Task.WaitAsync(Patience, TestContext.Current.CancellationToken);
        (await JobRows.GetAsync(_database, id)).LeaseOwner.ShouldBe("node-a");

        var asked = Stopwatch.GetTimestamp();
        var outcome = await b.WithSchedulerAsync(organization.Id, s => s.CancelAsync(id, TestContext.Current.CancellationToken));
        var fired = await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);

        outcome.ShouldBe(JobCancellation.CancellationRequested);
        Stopwatch.GetElapsedTime(asked, fired).ShouldBeLessThan(TimeSpan.FromSeconds(2));
        var row = await JobRows.WaitForAsync(_database, id, Patience, "cancelled");
        row.CancelRequestedAt.ShouldNotBeNull();
        (await b.WithSchedulerAsync(organization.Id, s => s.CancelAsync(id, TestContext.Current.CancellationToken))).ShouldBe(JobCancellation.NotCancellable);
    }

    [Fact]
    public async Task AnotherOrganization_CannotCancelOrRequeueAJob()
    {
        var owner = await TenantData.CreateOrganizationAsync(TestPostgres.AppConnection(_database));
        var stranger = await TenantData.CreateOrganizationAsync(TestPostgres.AppConnection(_database), "Stranger");
        await using var node = JobNode.Create(_database, "node-a", withEngine: false);
        var id = (await node.EnqueueAsync(owner.Id, new JobRequest("test.mine", "{}", owner.Id)))[0];

        (await node.WithSchedulerAsync(stranger.Id, s => s.CancelAsync(id, TestContext.Current.CancellationToken))).ShouldBe(JobCancellation.NotCancellable);
        (await node.WithSchedulerAsync(null, s => s.CancelAsync(id, TestContext.Current.CancellationToken))).ShouldBe(JobCancellation.NotCancellable);
        (await JobRows.GetAsync(_database, id)).State.ShouldBe("queued");
        (await node.WithSchedulerAsync(owner.Id, s => s.CancelAsync(id, TestContext.Current.CancellationToken))).ShouldBe(JobCancellation.CancelledBeforeStart);
    }

    [Fact]
    public async Task AJobOfANodeThatStoppedRenewingItsLease_IsTakenUpByAnother()
    {
        var ran = new TaskCompletionSource<int>();
        await using var node = JobNode.Create(_database, "node-b", services => services.AddSingleton<IJobHandler>(
            new TestHandler("test.orphan", (context, _) =>
            {
                ran.TrySetResult(context.Attempt);
                return Task.CompletedTask;
            })));
        var id = (await node.EnqueueAsync(null, new JobRequest("test.orphan", "{}", null)))[0];

        // node-a claimed it and died: its lease ran out a moment ago.
        await JobRows.ExecuteAsync(
            _database,
            $"UPDATE jobs SET state = 'running', attempt = 1, lease_owner = 'node-a', claimed_at = now() - interval '1 minute', " +
            $"started_at = now() - interval '1 minute', heartbeat_at = now() - interval '40 seconds', lease_expires_at = now() - interval '1 second' WHERE id = '{id}'");
        await node.StartAsync();

        (await ran.Task.WaitAsync(Patience, TestContext.Current.CancellationToken)).ShouldBe(2);
        var row = await JobRows.WaitForAsync(_database, id, Patience, "succeeded");
        row.Attempt.ShouldBe(2);
    }

    [Fact]
    public async Task AnExpiredLease_OnTheLastAttempt_DeadLettersTheJobWithAReason()
    {
        await using var node = JobNode.Create(_database, "node-b");
        var id = (await node.EnqueueAsync(null, new JobRequest("test.orphan", "{}", null, MaxAttempts: 1)))[0];
        await JobRows.ExecuteAsync(
            _database,
            $"UPDATE jobs SET state = 'running', attempt = 1, lease_owner = 'node-a', lease_expires_at = now() - interval '1 second' WHERE id = '{id}'");
        await node.StartAsync();

        var row = await JobRows.WaitForAsync(_database, id, Patience, "dead_lettered");

        row.Error.ShouldBe("The lease of node node-a expired during attempt 1 of 1: the node stopped or lost its database connection.");
        row.FinishedAt.ShouldNotBeNull();
    }

    [Fact]
    public async Task AHandlerThatOutlivesItsLease_IsStopped_AndTheJobRunsElsewhere()
    {
        var attempts = new ConcurrentQueue<(string Node, int Attempt)>();
        var firstStopped = new TaskCompletionSource();
        Func<string, Action<IServiceCollection>> handler = nodeId => services => services.AddSingleton<IJobHandler>(new TestHandler("test.stuck", async (context, ct) =>
        {
            attempts.Enqueue((nodeId, context.Attempt));
            if (context.Attempt == 1)
            {
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, ct);
                }
                finally
                {
                    firstStopped.TrySetResult();
                }
            }
        }));
        var settings = new Dictionary<string, string?> { ["Jobs:LeaseSeconds"] = "6", ["Jobs:HeartbeatSeconds"] = "2" };
        await using var a = await JobNode.Create(_database, "node-a", handler("node-a"), settings).StartAsync();
        var id = (await a.EnqueueAsync(null, new JobRequest("test.stuck", "{}", null)))[0];
        await Eventually.HoldsAsync(() => Task.FromResult(!attempts.IsEmpty), Patience, "node-a started the job");

        // node-a's heartbeats stop reaching its job (as when a node is cut off): its lease runs out and
        // another node takes the job. node-a is not really cut off, so the job moves to a queue only
        // node-b serves; otherwise node-a could claim it back itself (the next test is that case).
        await JobRows.ExecuteAsync(
            _database,
            $"UPDATE jobs SET lease_owner = 'node-a-lost', lease_expires_at = now() - interval '1 second', queue = 'node-b-only' WHERE id = '{id}'");
        var settingsOfB = new Dictionary<string, string?>(settings) { ["Jobs:Queues:0"] = "node-b-only" };
        await using var b = await JobNode.Create(_database, "node-b", handler("node-b"), settingsOfB).StartAsync();

        var row = await JobRows.WaitForAsync(_database, id, Patience, "succeeded");
        await firstStopped.Task.WaitAsync(Patience, TestContext.Current.CancellationToken);

        row.Attempt.ShouldBe(2);
        attempts.ShouldContain(("node-a", 1));
        attempts.ShouldContain(("node-b", 2));
        attempts.Count(x => x.Attempt == 2).ShouldBe(1);
    }

    [Fact]
    public async Task ANodeThatClaimsAgainAJobWhoseLeaseItLost_StopsTheEarlierAttempt_AndKeepsTheNewOne()
    {
        var attempts = new ConcurrentQueue<int>();
        var firstStopped = new TaskCompletionSource();
        var finishSecond = new TaskCompletionSource();
        Action<IServiceCollection> handler = services => services.AddSingleton<IJobHandler>(new TestHandler("test.reclaimed", async (context, ct) =>
        {
            attempts.Enqueue(context.Attempt);
            if (context.Attempt == 1)
            {
                // Returns normally when stopped: what it would write must not end the newer attempt.
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, ct);
                }
                catch (OperationCanceledException)
                {
                    firstStopped.TrySetResult();
                }
            }
            else
            {
                await finishSecond.Task.WaitAsync(ct);
            }
        }));

        // The first heartbeat comes 5 s after the start: the job is lost and claimed again well before it.
        var settings = new Dictionary<string, string?> { ["Jobs:LeaseSeconds"] = "15", ["Jobs:HeartbeatSeconds"] = "5" };
        await using var node = await JobNode.Create(_database, "node-a", handler, settings).StartAsync();
        var id = (await node.EnqueueAsync(null, new JobRequest("test.reclaimed", "{}", null)))[0];
        await Eventually.HoldsAsync(() => Task.FromResult(attempts.Contains(1)), Patience, "node-a started the job");

        // node-a's lease runs out while its handler still runs (as after a pause longer than the lease):
        // its own sweeper gives the job back, and node-a claims it again.
        await JobRows.ExecuteAsync(_database, $"UPDATE jobs SET lease_expires_at = now() - interval '1 second' WHERE id = '{id}'");
        await Eventually.HoldsAsync(() => Task.FromResult(attempts.Contains(2)), Patience, "node-a claimed the job again");
        await firstStopped.Task.WaitAsync(Patience, TestContext.Current.CancellationToken);
        await Eventually.HoldsAsync(
            () => Task.FromResult(node.Logs.Lines.Any(l => l.Message.Contains($"{id} attempt 1 ended lease_lost", StringComparison.Ordinal))),
            Patience,
            "attempt 1 ended without writing its outcome");

        // Attempt 2 still runs, and node-a's heartbeats keep its lease.
        await Eventually.HoldsAsync(
            async () => await JobRows.CountAsync(
                _database,
                $"WHERE id = '{id}' AND state = 'running' AND attempt = 2 AND lease_owner = 'node-a' AND heartbeat_at > claimed_at") == 1,
            Patience,
            "node-a renewed the lease of attempt 2");
        finishSecond.SetResult();
        var row = await JobRows.WaitForAsync(_database, id, Patience, "succeeded");

        row.Attempt.ShouldBe(2);
        attempts.ShouldBe([1, 2]);
    }

    [Fact]
    public async Task ANodeWhoseConnectionsAreKilled_ReconnectsAndKeepsClaiming()
    {
        var done = new ConcurrentBag<Guid>();
        await using var node = await JobNode.Create(
            _database,
            "node-a",
            services => services.AddSingleton<IJobHandler>(new TestHandler("test.after", (context, _) =>
            {
                done.Add(context.JobId);
                return Task.CompletedTask;
            })),
            new Dictionary<string, string?> { ["Jobs:PollMilliseconds"] = "60000" }).StartAsync();
        await WaitForListenerAsync(except: null);
        var first = await ListenerPidAsync();

        // The LISTEN connection first, then every other connection of the engine.
        await TestPostgres.ExecuteAdminAsync($"SELECT pg_terminate_backend({first})");
        await WaitForListenerAsync(except: first);
        await TestPostgres.ExecuteAdminAsync(
            $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{_database}' AND application_name = '{JobsDataSource.ApplicationName}' AND query NOT ILIKE 'LISTEN%'");

        // Polling is a minute away: only a notification on the new connection can wake the node this soon.
        var ids = await node.EnqueueAsync(null, new JobRequest("test.after", "{}", null), new JobRequest("test.after", "{}", null));
        await Eventually.HoldsAsync(() => Task.FromResult(done.Count == 2), TimeSpan.FromSeconds(20), "both jobs ran after the reconnection");

        done.Order().ShouldBe(ids.Order());
        node.Logs.Lines.ShouldContain(l => l.Message.Contains("notification connection was lost", StringComparison.Ordinal));
    }

    private async Task<int?> ListenerPidAsync()
    {
        await using var connection = new NpgsqlConnection(TestPostgres.AdminConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"SELECT pid FROM pg_stat_activity WHERE datname = '{_database}' AND application_name = '{JobsDataSource.ApplicationName}' " +
            "AND query ILIKE 'LISTEN%' AND state = 'idle' ORDER BY backend_start DESC LIMIT 1",
            connection);
        return (int?)await command.ExecuteScalarAsync();
    }

    private Task WaitForListenerAsync(int? except) =>
        Eventually.HoldsAsync(async () => await ListenerPidAsync() is { } pid && pid != except, TimeSpan.FromSeconds(20), "the engine listens");

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
