using System.Collections.Concurrent;
using System.Diagnostics;
using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Security;
using Loupe.Domain.Common;
using Loupe.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Loupe.Infrastructure.Jobs;

/// <summary>
/// One node of the job engine (ADR 0021). It claims due jobs in batches up to its free slots, woken by
/// <c>NOTIFY</c> or every <c>Jobs:PollMilliseconds</c>; runs each in a scope of its own under the job's
/// organization; renews its leases every <c>Jobs:HeartbeatSeconds</c> and takes back other nodes'
/// expired ones every <c>Jobs:SweepSeconds</c>. On shutdown it stops claiming, lets running jobs finish
/// for <c>Jobs:ShutdownGraceSeconds</c>, then cancels them and hands them back.
/// </summary>
internal sealed partial class JobEngine(
    JobStore store,
    JobListener listener,
    JobMetrics metrics,
    IJobFailureReporter failures,
    IServiceScopeFactory scopes,
    IOptions<JobsOptions> options,
    TimeProvider time,
    ILogger<JobEngine> logger) : BackgroundService
{
    /// <summary>How long jobs that ignore their cancellation get before the node hands them back anyway.</summary>
    private static readonly TimeSpan CancelledGrace = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan MaxErrorBackoff = TimeSpan.FromSeconds(5);
    internal const int MaxErrorLength = 4000;

    private readonly JobsOptions _options = options.Value;

    // Keyed by job and attempt, not by job alone: a node whose lease ran out may claim the same job
    // again while the handler of its earlier attempt is still stopping. Within one engine, attempts of
    // a job only grow while it claims (a release gives one back only once claiming has stopped).
    private readonly ConcurrentDictionary<(Guid JobId, int Attempt), HeldJob> _held = new();

    // Cancellations that arrived for jobs not (yet) held here: a claim may be on its way back.
    private readonly ConcurrentDictionary<Guid, long> _earlyCancels = new();
    private readonly WakeSignal _wake = new();
    private long _lastContactTimestamp;

    public string Node => store.Node;

    /// <summary>Whether a claim, heartbeat or sweep reached the database recently (for the readiness check).</summary>
    public bool IsHealthy =>
        Volatile.Read(ref _lastContactTimestamp) is var last and > 0
        && time.GetElapsedTime(last) < TimeSpan.FromTicks(Math.Max(Math.Max(_options.Poll.Ticks * 5, _options.Sweep.Ticks * 3), TimeSpan.FromSeconds(15).Ticks));

    public int RunningCount => _held.Count;

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        CheckHandlers();
        metrics.ObserveRunning(() => _held.Count);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The engine's loops belong to no request: whatever activity started the host is not their parent.
        Activity.Current = null;
        var queues = string.Join(',', _options.EffectiveQueues);
        LogStarted(Node, _options.Concurrency, queues);
        using var background = new CancellationTokenSource();
        var loops = new[]
        {
            Task.Run(() => listener.RunAsync(_wake.Set, OnCancelRequested, background.Token), CancellationToken.None),
            Task.Run(() => HeartbeatLoopAsync(background.Token), CancellationToken.None),
            Task.Run(() => SweepLoopAsync(background.Token), CancellationToken.None),
        };
        try
        {
            await ClaimLoopAsync(stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            // Heartbeats and cancellations go on while the running jobs drain.
            await DrainAsync().ConfigureAwait(false);
            await background.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(loops).ConfigureAwait(false);
            LogStopped(Node);
        }
    }

    private async Task ClaimLoopAsync(CancellationToken stopping)
    {
        var errorBackoff = TimeSpan.FromMilliseconds(200);
        while (!stopping.IsCancellationRequested)
        {
            var (free, open) = FreeSlots();
            if (free > 0)
            {
                IReadOnlyList<ClaimedJob> claimed;
                try
                {
                    claimed = await store.ClaimAsync(free, open, stopping).ConfigureAwait(false);
                    MarkContact();
                    errorBackoff = TimeSpan.FromMilliseconds(200);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception failure) when (DatabaseFailures.IsDatabaseFailure(failure))
                {
                    LogClaimFailed(failure.GetType().Name, failure.Message);
                    await DelayAsync(errorBackoff, stopping).ConfigureAwait(false);
                    errorBackoff = TimeSpan.FromTicks(Math.Min(MaxErrorBackoff.Ticks, errorBackoff.Ticks * 2));
                    continue;
                }

                foreach (var job in claimed)
                {
                    Start(job);
                }

                if (claimed.Count > 0)
                {
                    // More may be due; a batch that filled fewer slots than free ends the round on the next pass.
                    continue;
                }
            }

            await _wake.WaitAsync(_options.Poll, stopping).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The node's free slots, and how many of them any organization may take: the others are the free
    /// part of the <c>Jobs:ReservedShare</c> kept for organizations with nothing running (ADR 0030).
    /// </summary>
    private (int Free, int Open) FreeSlots()
    {
        var held = 0;
        var heldOpen = 0;
        foreach (var pair in _held)
        {
            held++;
            if (!pair.Value.Job.Reserved)
            {
                heldOpen++;
            }
        }

        var free = Math.Max(0, _options.Concurrency - held);
        var open = Math.Min(free, Math.Max(0, _options.Concurrency - _options.ReservedSlots - heldOpen));
        return (free, open);
    }

    private void Start(ClaimedJob job)
    {
        // Claimed again while an earlier attempt still runs here: that attempt's lease expired and the
        // job was given back, so it has lost the job, whatever a heartbeat for the job id now answers.
        foreach (var earlier in HeldAttempts(job.Id))
        {
            if (!earlier.IsFinishing)
            {
                LogLeaseLost(earlier.Job.Kind, earlier.Job.Id, earlier.Job.Attempt);
                earlier.Stop(StopReason.LeaseLost);
            }
        }

        var held = new HeldJob(job);
        _held[(job.Id, job.Attempt)] = held;
        metrics.Claimed(job);
        if (_earlyCancels.TryRemove(job.Id, out _))
        {
            held.Stop(StopReason.Cancelled);
        }

        held.Completion = Task.Run(() => RunAsync(held), CancellationToken.None);
    }

    private async Task RunAsync(HeldJob held)
    {
        var job = held.Job;
        using var activity = JobTracing.StartAttempt(job);
        var started = time.GetTimestamp();
        LogAttemptStarted(job.Kind, job.Id, job.Attempt, job.MaxAttempts);
        try
        {
            var ending = await AttemptAsync(held).ConfigureAwait(false);
            held.MarkFinishing();
            if (held.Reason == StopReason.LeaseLost && ending.State is not null)
            {
                // The handler returned after its lease was lost: the job is no longer this attempt's to
                // end (this node may even hold a newer attempt of it, which a write would end instead).
                ending = AttemptEnding.Abandoned(ending.FailureType ?? "-");
            }

            var duration = time.GetElapsedTime(started);
            var written = await WriteAsync(held, ending).ConfigureAwait(false);
            metrics.Finished(job.Kind, ending.Outcome, duration, ending.IsFailure);
            JobTracing.End(activity, ending.Outcome, ending.IsFailure || ending.State is null ? ending.FailureType : null);
            if (written && ending.State is JobState.Failed or JobState.DeadLettered)
            {
                failures.Failed(new JobFailure(job.Id, job.Kind, job.Attempt, ending.Outcome, ending.FailureType ?? "-", ending.Cause));
            }

            var level = ending.IsFailure ? LogLevel.Warning : ending.State == JobState.Succeeded ? LogLevel.Debug : LogLevel.Information;
            LogAttemptEnded(level, job.Kind, job.Id, job.Attempt, duration.TotalMilliseconds, ending.Outcome, ending.FailureType ?? "-");
            if (!written && held.Reason != StopReason.LeaseLost)
            {
                LogLeaseLost(job.Kind, job.Id, job.Attempt);
            }
        }
        finally
        {
            _held.TryRemove((job.Id, job.Attempt), out _);
            held.Dispose();
            _wake.Set();
        }
    }

    /// <summary>Runs the handler once and says how the attempt ended; never throws.</summary>
    private async Task<AttemptEnding> AttemptAsync(HeldJob held)
    {
        var job = held.Job;
        var snapshot = new JobSnapshot(JobState.Running, job.Attempt, job.MaxAttempts, false);
        try
        {
            var scope = scopes.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                if (job.OrganizationId is { } organizationId)
                {
                    scope.ServiceProvider.GetRequiredService<ITenantScope>().Enter(organizationId);
                }

                var handler = scope.ServiceProvider.GetServices<IJobHandler>().FirstOrDefault(h => h.Kind == job.Kind);
                if (handler is null)
                {
                    return AttemptEnding.Failed(
                        $"No handler for job kind '{job.Kind}' is registered on node {Node}.", "UnknownKind", snapshot, JobTransition.FailPermanently);
                }

                var context = new JobContext(job.Id, job.Kind, job.OrganizationId, job.Payload, job.Attempt, job.MaxAttempts);
                await handler.HandleAsync(context, held.Token).ConfigureAwait(false);
                return AttemptEnding.Succeeded;
            }
        }
        catch (Exception stopped) when (held.Token.IsCancellationRequested)
        {
            return held.Reason switch
            {
                StopReason.Cancelled => AttemptEnding.Cancelled,
                StopReason.Shutdown => AttemptEnding.Released,
                _ => AttemptEnding.Abandoned(stopped.GetType().Name),
            };
        }
        catch (RetryableJobException retryable)
        {
            return Retry(snapshot, retryable.Message, nameof(RetryableJobException), retryable);
        }
        catch (JobGivenUpException givenUp)
        {
            return new AttemptEnding(
                JobStateMachine.Apply(snapshot, JobTransition.GiveUp)!.Value.State, false, Truncate(givenUp.Message), null, "dead_lettered", nameof(JobGivenUpException), givenUp);
        }
        catch (Exception failure) when (DatabaseFailures.IsTransient(failure))
        {
            // Loupe's own database failed in passing (restarting, unreachable, overloaded): like a retryable error.
            return Retry(snapshot, failure.Message, failure.GetType().Name, failure);
        }
        catch (Exception failure)
        {
            return AttemptEnding.Failed(Truncate(failure.Message), failure.GetType().Name, snapshot, JobTransition.FailPermanently, failure);
        }
    }

    /// <summary>An attempt that failed for a reason that may pass: queued again after a backoff, or dead-lettered after the last attempt.</summary>
    private AttemptEnding Retry(JobSnapshot snapshot, string message, string failureType, Exception cause)
    {
        var next = JobStateMachine.Apply(snapshot, JobTransition.FailRetryably)!.Value;
        var retryAt = next.State == JobState.Queued
            ? time.GetUtcNow().UtcDateTime + RetryBackoff.Delay(
                snapshot.Attempt, TimeSpan.FromSeconds(_options.RetryBaseSeconds), TimeSpan.FromSeconds(_options.RetryMaxSeconds), Random.Shared.NextDouble())
            : (DateTime?)null;
        var outcome = next.State == JobState.Queued ? "retrying" : "dead_lettered";
        return new AttemptEnding(next.State, false, Truncate(message), retryAt, outcome, failureType, cause);
    }

    /// <summary>Stores how the attempt ended, trying again for a few seconds if the database is away.</summary>
    private async Task<bool> WriteAsync(HeldJob held, AttemptEnding ending)
    {
        if (ending.State is null && !ending.HandBack)
        {
            return false;
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return ending.HandBack
                    ? await store.ReleaseAsync([held.Job.Id], CancellationToken.None).ConfigureAwait(false) > 0
                    : await store.FinishAsync(held.Job.Id, ending.State!.Value, ending.Error, ending.RetryAt, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception failure) when (DatabaseFailures.IsDatabaseFailure(failure) && attempt < 4)
            {
                LogWriteRetried(held.Job.Kind, held.Job.Id, failure.GetType().Name);
                await Task.Delay(TimeSpan.FromSeconds(attempt), time, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception failure) when (DatabaseFailures.IsDatabaseFailure(failure))
            {
                // The lease runs out and the sweeper gives the job back: it runs again (at least once).
                LogWriteFailed(held.Job.Kind, held.Job.Id, failure.GetType().Name);
                return false;
            }
        }
    }

    private async Task HeartbeatLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_options.Heartbeat, time);
        while (await WaitTickAsync(timer, ct).ConfigureAwait(false))
        {
            // The attempts held when the heartbeat leaves: one claimed meanwhile is not judged by its answer.
            var holding = _held.Select(pair => pair.Value).ToArray();
            if (holding.Length == 0)
            {
                continue;
            }

            var ids = holding.Select(h => h.Job.Id).Distinct().ToArray();

            IReadOnlyDictionary<Guid, bool> kept;
            try
            {
                kept = await store.HeartbeatAsync(ids, ct).ConfigureAwait(false);
                MarkContact();
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception failure) when (DatabaseFailures.IsDatabaseFailure(failure))
            {
                LogHeartbeatFailed(failure.GetType().Name, ids.Length);
                continue;
            }

            // An earlier attempt of a job claimed again was stopped by Start already; the first reason wins.
            foreach (var held in holding)
            {
                if (held.IsFinishing)
                {
                    continue;
                }

                if (!kept.TryGetValue(held.Job.Id, out var cancelRequested))
                {
                    LogLeaseLost(held.Job.Kind, held.Job.Id, held.Job.Attempt);
                    held.Stop(StopReason.LeaseLost);
                }
                else if (cancelRequested)
                {
                    held.Stop(StopReason.Cancelled);
                }
            }
        }
    }

    private async Task SweepLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_options.Sweep, time);
        while (await WaitTickAsync(timer, ct).ConfigureAwait(false))
        {
            try
            {
                var swept = await store.SweepAsync(ct).ConfigureAwait(false);
                MarkContact();
                metrics.Swept(swept);
                if (swept.Requeued + swept.DeadLettered + swept.Cancelled > 0)
                {
                    LogSwept(swept.Requeued, swept.DeadLettered, swept.Cancelled);
                }

                if (swept.DeadLettered > 0)
                {
                    failures.DeadLetteredByLeaseSweep(swept.DeadLettered);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception failure) when (DatabaseFailures.IsDatabaseFailure(failure))
            {
                LogSweepFailed(failure.GetType().Name);
            }

            PruneEarlyCancels();
        }
    }

    private void MarkContact() => Volatile.Write(ref _lastContactTimestamp, time.GetTimestamp());

    private void OnCancelRequested(Guid jobId)
    {
        var found = false;
        foreach (var held in HeldAttempts(jobId))
        {
            found = true;
            LogCancelRequested(held.Job.Kind, jobId, held.Job.Attempt);
            held.Stop(StopReason.Cancelled);
        }

        if (!found)
        {
            _earlyCancels[jobId] = time.GetTimestamp();
        }
    }

    /// <summary>The attempts of the job this node runs: one, or more while earlier ones are stopping.</summary>
    private IEnumerable<HeldJob> HeldAttempts(Guid jobId)
    {
        foreach (var ((id, _), held) in _held)
        {
            if (id == jobId)
            {
                yield return held;
            }
        }
    }

    private void PruneEarlyCancels()
    {
        foreach (var (id, since) in _earlyCancels)
        {
            if (time.GetElapsedTime(since) > _options.Lease)
            {
                _earlyCancels.TryRemove(id, out _);
            }
        }
    }

    /// <summary>Lets running jobs finish for the grace period, then cancels them and hands them back.</summary>
    private async Task DrainAsync()
    {
        var running = _held.Values.Select(h => h.Completion).ToArray();
        if (running.Length == 0)
        {
            return;
        }

        LogDraining(running.Length, _options.ShutdownGraceSeconds);
        await WhenAllOrAfterAsync(running, _options.ShutdownGrace).ConfigureAwait(false);
        var left = _held.Values.ToArray();
        if (left.Length == 0)
        {
            return;
        }

        foreach (var held in left)
        {
            held.Stop(StopReason.Shutdown);
        }

        await WhenAllOrAfterAsync([.. left.Select(h => h.Completion)], CancelledGrace).ConfigureAwait(false);
        if (!_held.IsEmpty)
        {
            // Handlers that ignore their token keep running until the process ends; their jobs go back now.
            try
            {
                var released = await store.ReleaseAsync(null, CancellationToken.None).ConfigureAwait(false);
                LogHandedBack(released);
            }
            catch (Exception failure) when (DatabaseFailures.IsDatabaseFailure(failure))
            {
                LogWriteFailed("*", Guid.Empty, failure.GetType().Name);
            }
        }
    }

    private async Task WhenAllOrAfterAsync(Task[] tasks, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit, time);
        try
        {
            await Task.WhenAll(tasks).WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            // The limit passed first.
        }
    }

    /// <summary>Two handlers of one kind would make the choice arbitrary: refuse to start.</summary>
    private void CheckHandlers()
    {
        using var scope = scopes.CreateScope();
        var duplicates = scope.ServiceProvider.GetServices<IJobHandler>()
            .GroupBy(h => h.Kind, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => g.Key)
            .ToList();
        if (duplicates.Count > 0)
        {
            throw new InvalidOperationException($"More than one job handler is registered for the kind(s) {string.Join(", ", duplicates)}.");
        }
    }

    private static async Task<bool> WaitTickAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, time, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private static string Truncate(string message) => StorableError(message);

    /// <summary>
    /// An attempt's error as PostgreSQL can store it: at most <see cref="MaxErrorLength"/> characters,
    /// never cut inside a surrogate pair, with every NUL and unpaired surrogate replaced by U+FFFD. A
    /// NUL would be refused at Bind (22021) and an unpaired surrogate by Npgsql's encoder; either would
    /// leave the job's ending unwritten, the job held until its lease expired.
    /// </summary>
    internal static string StorableError(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var length = Math.Min(message.Length, MaxErrorLength);
        if (length < message.Length && char.IsHighSurrogate(message[length - 1]))
        {
            length--;
        }

        var text = message.AsSpan(0, length);
        if (TextErrors.Check(text, "error") is null)
        {
            return length == message.Length ? message : text.ToString();
        }

        var chars = text.ToArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (chars[i] == '\0' || char.IsSurrogate(chars[i]))
            {
                chars[i] = '\uFFFD';
            }
        }

        return new string(chars);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job engine node {Node} started: {Concurrency} slots, queues {Queues}")]
    private partial void LogStarted(string node, int concurrency, string queues);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job engine node {Node} stopped")]
    private partial void LogStopped(string node);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Job {Kind} {JobId} attempt {Attempt}/{MaxAttempts} started")]
    private partial void LogAttemptStarted(string kind, Guid jobId, int attempt, int maxAttempts);

    /// <summary>Successes at Debug (hundreds a second would flood the log), failures at Warning, the rest at Information.</summary>
    [LoggerMessage(Message = "Job {Kind} {JobId} attempt {Attempt} ended {Outcome} after {DurationMs} ms (failure: {FailureType})")]
    private partial void LogAttemptEnded(LogLevel level, string kind, Guid jobId, int attempt, double durationMs, string outcome, string failureType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Kind} {JobId} attempt {Attempt}: this node no longer holds its lease; its outcome was not stored")]
    private partial void LogLeaseLost(string kind, Guid jobId, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Kind} {JobId} attempt {Attempt}: cancellation requested")]
    private partial void LogCancelRequested(string kind, Guid jobId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Claiming jobs failed ({Failure}: {Reason}); trying again")]
    private partial void LogClaimFailed(string failure, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storing the outcome of job {Kind} {JobId} failed ({Failure}); trying again")]
    private partial void LogWriteRetried(string kind, Guid jobId, string failure);

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing the outcome of job {Kind} {JobId} failed ({Failure}); its lease will expire and it will run again")]
    private partial void LogWriteFailed(string kind, Guid jobId, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the leases of {Count} job(s) failed ({Failure})")]
    private partial void LogHeartbeatFailed(string failure, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeping expired leases failed ({Failure})")]
    private partial void LogSweepFailed(string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Expired leases taken back: {Requeued} requeued, {DeadLettered} dead-lettered, {Cancelled} cancelled")]
    private partial void LogSwept(int requeued, int deadLettered, int cancelled);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: letting {Count} running job(s) finish for up to {GraceSeconds} s")]
    private partial void LogDraining(int count, int graceSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping: handed {Count} job(s) back after the grace period")]
    private partial void LogHandedBack(int count);

    /// <summary>
    /// What the engine writes for one attempt: a state to finish it in, or a hand-back (graceful
    /// shutdown), or nothing (the lease was lost, another node has the job). <see cref="Cause"/> is what
    /// the handler threw, for the error reporter.
    /// </summary>
    private sealed record AttemptEnding(
        JobState? State, bool HandBack, string? Error, DateTime? RetryAt, string Outcome, string? FailureType, Exception? Cause = null)
    {
        public static AttemptEnding Succeeded { get; } = new(JobState.Succeeded, false, null, null, "succeeded", null);

        public static AttemptEnding Cancelled { get; } = new(JobState.Cancelled, false, null, null, "cancelled", null);

        public static AttemptEnding Released { get; } = new(null, true, null, null, "handed_back", null);

        public bool IsFailure => State is JobState.Queued or JobState.Failed or JobState.DeadLettered;

        public static AttemptEnding Abandoned(string failureType) => new(null, false, null, null, "lease_lost", failureType);

        public static AttemptEnding Failed(string error, string failureType, JobSnapshot snapshot, JobTransition transition, Exception? cause = null) =>
            new(JobStateMachine.Apply(snapshot, transition)!.Value.State, false, error, null, "failed", failureType, cause);
    }
}
