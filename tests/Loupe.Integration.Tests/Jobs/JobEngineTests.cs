using System.Collections.Concurrent;
using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Security;
using Loupe.Integration.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Loupe.Integration.Tests.Jobs;

/// <summary>One node: a job's life from enqueue to its end, in every way it can end.</summary>
[Collection(JobEngineSerial.Name)]
public sealed class JobEngineTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly ScratchDatabases _databases = new();
    private string _database = string.Empty;

    public async ValueTask InitializeAsync() => _database = await _databases.MigratedAsync();

    public ValueTask DisposeAsync() => _databases.DisposeAsync();

    [Fact]
    public async Task Enqueued_RunsOnceInItsOrganization_AndSucceeds_WithoutLoggingThePayload()
    {
        var organization = await TenantData.CreateOrganizationAsync(TestPostgres.AppConnection(_database));
        var seen = new ConcurrentBag<(JobContext Context, Guid? Tenant)>();
        await using var node = JobNode.Create(_database, "node-a", services => services.AddScoped<IJobHandler>(provider =>
            new TestHandler("test.echo", (context, _) =>
            {
                seen.Add((context, provider.GetRequiredService<ITenantScope>().OrganizationId));
                return Task.CompletedTask;
            })));
        await node.StartAsync();

        var id = (await node.EnqueueAsync(organization.Id, new JobRequest("test.echo", """{"secret_value":"hunter2"}""", organization.Id)))[0];
        var row = await JobRows.WaitForAsync(_database, id, Patience, "succeeded");

        row.Attempt.ShouldBe(1);
        row.LeaseOwner.ShouldBeNull();
        row.StartedAt.ShouldNotBeNull();
        row.FinishedAt.ShouldNotBeNull();
        var (context, tenant) = seen.ShouldHaveSingleItem();
        context.ShouldBe(new JobContext(id, "test.echo", organization.Id, """{"secret_value":"hunter2"}""", 1, 3));
        tenant.ShouldBe(organization.Id);
        node.Logs.Lines.ShouldContain(l => l.Message.Contains(id.ToString(), StringComparison.Ordinal) && l.Message.Contains("succeeded", StringComparison.Ordinal));
        node.Logs.Lines.ShouldNotContain(l => l.Message.Contains("hunter2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Claims_GoByPriority_ThenRunAt_ThenId()
    {
        var order = new ConcurrentQueue<Guid>();
        await using var node = JobNode.Create(
            _database,
            "node-a",
            services => services.AddSingleton<IJobHandler>(new TestHandler("test.order", (context, _) =>
            {
                order.Enqueue(context.JobId);
                return Task.CompletedTask;
            })),
            new Dictionary<string, string?> { ["Jobs:Concurrency"] = "1" });
        var earlier = DateTimeOffset.UtcNow.AddMinutes(-5);
        var maintenance = await node.EnqueueAsync(null, new JobRequest("test.order", "{}", null, JobPriority.Maintenance));
        var scheduledLate = await node.EnqueueAsync(null, new JobRequest("test.order", "{}", null, JobPriority.Scheduled));
        var scheduledEarly = await node.EnqueueAsync(null, new JobRequest("test.order", "{}", null, JobPriority.Scheduled, RunAt: earlier));
        var tied = new JobRequest("test.order", "{}", null, JobPriority.Interactive, RunAt: DateTimeOffset.UtcNow.AddSeconds(-1));
        var interactive = await node.EnqueueAsync(null, tied, tied, tied);

        await node.StartAsync();
        await Eventually.HoldsAsync(() => Task.FromResult(order.Count == 6), Patience, "all six jobs ran");

        order.ShouldBe([.. interactive.Order(), scheduledEarly[0], scheduledLate[0], maintenance[0]]);
    }

    [Fact]
    public async Task AJobWithRunAt_IsNotStartedBeforeIt()
    {
        await using var node = await JobNode.Create(_database, "node-a", services => services.AddSingleton<IJobHandler>(
            new TestHandler("test.later", (_, _) => Task.CompletedTask))).StartAsync();
        var runAt = DateTimeOffset.UtcNow.AddSeconds(2);

        var id = (await node.EnqueueAsync(null, new JobRequest("test.later", "{}", null, RunAt: runAt)))[0];
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        (await JobRows.GetAsync(_database, id)).State.ShouldBe("queued");
        var row = await JobRows.WaitForAsync(_database, id, Patience, "succeeded");

        row.StartedAt!.Value.ShouldBeGreaterThanOrEqualTo(runAt.UtcDateTime);
    }

    [Fact]
    public async Task ARetryableFailure_IsRetriedWithBackoff_ThenDeadLettered()
    {
        var attempts = new ConcurrentQueue<(int Attempt, DateTime At)>();
        await using var node = await JobNode.Create(_database, "node-a", services => services.AddSingleton<IJobHandler>(
            new TestHandler("test.flaky", (context, _) =>
            {
                attempts.Enqueue((context.Attempt, DateTime.UtcNow));
                throw new RetryableJobException($"connection refused on attempt {context.Attempt}");
            }))).StartAsync();

        var id = (await node.EnqueueAsync(null, new JobRequest("test.flaky", "{}", null, MaxAttempts: 3)))[0];
        var row = await JobRows.WaitForAsync(_database, id, Patience, "dead_lettered");

        row.Attempt.ShouldBe(3);
        row.Error.ShouldBe("connection refused on attempt 3");
        row.FinishedAt.ShouldNotBeNull();
        var seen = attempts.ToArray();
        seen.Select(a => a.Attempt).ShouldBe([1, 2, 3]);

        // Base 0.2 s doubling, each wait at least half its step: ≥ 0.1 s, then ≥ 0.2 s.
        (seen[1].At - seen[0].At).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(100));
        (seen[2].At - seen[1].At).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task AnyOtherFailure_FailsTheJobAtOnce()
    {
        var runs = 0;
        await using var node = await JobNode.Create(_database, "node-a", services => services.AddSingleton<IJobHandler>(
            new TestHandler("test.broken", (_, _) =>
            {
                Interlocked.Increment(ref runs);
                throw new InvalidOperationException("column \"x\" does not exist");
            }))).StartAsync();

        var id = (await node.EnqueueAsync(null, new JobRequest("test.broken", "{}", null, MaxAttempts: 5)))[0];
        var row = await JobRows.WaitForAsync(_database, id, Patience, "failed");

        row.Attempt.ShouldBe(1);
        row.Error.ShouldBe("column \"x\" does not exist");
        runs.ShouldBe(1);
    }

    [Fact]
    public async Task AFailureWhoseMessageHasANulAndALoneSurrogate_EndsTheJobFailed_WithTheTextReplaced()
    {
        await using var node = await JobNode.Create(_database, "node-a", services => services.AddSingleton<IJobHandler>(
            new TestHandler("test.bad-text", (_, _) => throw new InvalidOperationException("bad\0value \ud800 from the source"))))
            .StartAsync();

        var id = (await node.EnqueueAsync(null, new JobRequest("test.bad-text", "{}", null, MaxAttempts: 3)))[0];
        var row = await JobRows.WaitForAsync(_database, id, Patience, "failed");

        row.Attempt.ShouldBe(1);
        row.Error.ShouldBe("bad\uFFFDvalue \uFFFD from the source");
    }

    [Fact]
    public async Task APassingFailureOfLoupesDatabase_IsRetried_WhileAnyOtherDatabaseError_FailsAtOnce()
    {
        var connection = TestPostgres.AppConnection(_database);
        await using var node = await JobNode.Create(_database, "node-a", services => services
            .AddSingleton<IJobHandler>(new TestHandler("test.cut", async (context, ct) =>
            {
                if (context.Attempt == 1)
                {
                    // The server ends this backend, as a restart or an administrator would (57P01).
                    await ExecuteAsync(connection, "select pg_terminate_backend(pg_backend_pid())", ct);
                }
            }))
            .AddSingleton<IJobHandler>(new TestHandler("test.missing", (_, ct) => ExecuteAsync(connection, "select * from no_such_table", ct))))
            .StartAsync();

        var cut = (await node.EnqueueAsync(null, new JobRequest("test.cut", "{}", null, MaxAttempts: 3)))[0];
        var missing = (await node.EnqueueAsync(null, new JobRequest("test.missing", "{}", null, MaxAttempts: 3)))[0];

        (await JobRows.WaitForAsync(_database, cut, Patience, "succeeded")).Attempt.ShouldBe(2);
        var failed = await JobRows.WaitForAsync(_database, missing, Patience, "failed");
        failed.Attempt.ShouldBe(1);
        failed.Error!.ShouldContain("no_such_table");
    }

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken ct)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    [Fact]
    public async Task AnUnknownKind_FailsWithAClearError()
    {
        await using var node = await JobNode.Create(_database, "node-a").StartAsync();

        var id = (await node.EnqueueAsync(null, new JobRequest("test.nobody-knows", "{}", null)))[0];
        var row = await JobRows.WaitForAsync(_database, id, Patience, "failed");

        row.Error.ShouldBe("No handler for job kind 'test.nobody-knows' is registered on node node-a.");
        row.Attempt.ShouldBe(1);
    }

    [Fact]
    public async Task Requeue_PutsAFailedJobBack_WithItsAttemptsReset()
    {
        var runs = 0;
        await using var node = await JobNode.Create(_database, "node-a", services => services.AddSingleton<IJobHandler>(
            new TestHandler("test.second-time", (_, _) => Interlocked.Increment(ref runs) == 1
                ? throw new InvalidOperationException("first time fails")
                : Task.CompletedTask))).StartAsync();
        var id = (await node.EnqueueAsync(null, new JobRequest("test.second-time", "{}", null)))[0];
        await JobRows.WaitForAsync(_database, id, Patience, "failed");

        (await node.WithSchedulerAsync(null, s => s.RequeueAsync(id, TestContext.Current.CancellationToken))).ShouldBeTrue();
        var row = await JobRows.WaitForAsync(_database, id, Patience, "succeeded");

        row.Attempt.ShouldBe(1);
        row.Error.ShouldBeNull();
        runs.ShouldBe(2);
        (await node.WithSchedulerAsync(null, s => s.RequeueAsync(id, TestContext.Current.CancellationToken))).ShouldBeFalse();
        (await node.WithSchedulerAsync(null, s => s.RequeueAsync(Guid.CreateVersion7(), TestContext.Current.CancellationToken))).ShouldBeFalse();
    }

    [Fact]
    public async Task CancellingAQueuedJob_CancelsItBeforeItStarts()
    {
        var runs = 0;
        await using var node = await JobNode.Create(_database, "node-a", services => services.AddSingleton<IJobHandler>(
            new TestHandler("test.never", (_, _) =>
            {
                Interlocked.Increment(ref runs);
                return Task.CompletedTask;
            }))).StartAsync();
        var id = (await node.EnqueueAsync(null, new JobRequest("test.never", "{}", null, RunAt: DateTimeOffset.UtcNow.AddSeconds(2))))[0];

        var cancelled = await node.WithSchedulerAsync(null, s => s.CancelAsync(id, TestContext.Current.CancellationToken));
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);

        cancelled.ShouldBe(JobCancellation.CancelledBeforeStart);
        (await JobRows.GetAsync(_database, id)).State.ShouldBe("cancelled");
        runs.ShouldBe(0);
        (await node.WithSchedulerAsync(null, s => s.CancelAsync(id, TestContext.Current.CancellationToken))).ShouldBe(JobCancellation.NotCancellable);
        (await node.WithSchedulerAsync(null, s => s.CancelAsync(Guid.CreateVersion7(), TestContext.Current.CancellationToken))).ShouldBe(JobCancellation.NotCancellable);
    }

    [Fact]
    public async Task Shutdown_LetsARunningJobFinishWithinTheGracePeriod()
    {
        var started = new TaskCompletionSource();
        await using var node = await JobNode.Create(_database, "node-a", services => services.AddSingleton<IJobHandler>(
            new TestHandler("test.short", async (_, _) =>
            {
                started.TrySetResult();
                await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
            }))).StartAsync();
        var id = (await node.EnqueueAsync(null, new JobRequest("test.short", "{}", null)))[0];
        await started.Task.WaitAsync(Patience, TestContext.Current.CancellationToken);

        await node.StopAsync();

        (await JobRows.GetAsync(_database, id)).State.ShouldBe("succeeded");
    }

    [Fact]
    public async Task Shutdown_HandsALongJobBack_AfterTheGracePeriod_WithoutUsingAnAttempt()
    {
        var started = new TaskCompletionSource();
        var stopped = new TaskCompletionSource();
        await using var node = await JobNode.Create(
            _database,
            "node-a",
            services => services.AddSingleton<IJobHandler>(new TestHandler("test.long", async (_, ct) =>
            {
                started.TrySetResult();
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, ct);
                }
                finally
                {
                    stopped.TrySetResult();
                }
            })),
            new Dictionary<string, string?> { ["Jobs:ShutdownGraceSeconds"] = "1" }).StartAsync();
        var id = (await node.EnqueueAsync(null, new JobRequest("test.long", "{}", null)))[0];
        await started.Task.WaitAsync(Patience, TestContext.Current.CancellationToken);

        await node.StopAsync();

        stopped.Task.IsCompleted.ShouldBeTrue();
        var row = await JobRows.GetAsync(_database, id);
        row.State.ShouldBe("queued");
        row.Attempt.ShouldBe(0);
        row.LeaseOwner.ShouldBeNull();
        node.Logs.Lines.ShouldContain(l => l.Level == LogLevel.Information && l.Message.Contains("handed_back", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AStartedJob_IsPickedUpAgainByTheNextNode_AfterAGracefulHandBack()
    {
        var runs = new ConcurrentQueue<int>();
        Action<IServiceCollection> handler = services => services.AddSingleton<IJobHandler>(new TestHandler("test.resumable", async (context, ct) =>
        {
            runs.Enqueue(context.Attempt);
            if (runs.Count == 1)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            }
        }));
        var settings = new Dictionary<string, string?> { ["Jobs:ShutdownGraceSeconds"] = "0" };
        var first = await JobNode.Create(_database, "node-a", handler, settings).StartAsync();
        var id = (await first.EnqueueAsync(null, new JobRequest("test.resumable", "{}", null, MaxAttempts: 1)))[0];
        await Eventually.HoldsAsync(() => Task.FromResult(runs.Count == 1), Patience, "the first node started the job");
        await first.DisposeAsync();

        await using var second = await JobNode.Create(_database, "node-b", handler, settings).StartAsync();
        var row = await JobRows.WaitForAsync(_database, id, Patience, "succeeded");

        runs.ShouldBe([1, 1]);
        row.Attempt.ShouldBe(1);
    }
}
