using Microsoft.Extensions.Logging;

namespace Loupe.Infrastructure.Jobs;

/// <summary>What the parts of the job engine log, all under the engine's category.</summary>
internal static partial class JobEngineLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Job engine node {Node} started: {Concurrency} slots, queues {Queues}")]
    public static partial void LogStarted(this ILogger logger, string node, int concurrency, string queues);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job engine node {Node} stopped")]
    public static partial void LogStopped(this ILogger logger, string node);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Job {Kind} {JobId} attempt {Attempt}/{MaxAttempts} started")]
    public static partial void LogAttemptStarted(this ILogger logger, string kind, Guid jobId, int attempt, int maxAttempts);

    /// <summary>Successes at Debug (hundreds a second would flood the log), failures at Warning, the rest at Information.</summary>
    [LoggerMessage(Message = "Job {Kind} {JobId} attempt {Attempt} ended {Outcome} after {DurationMs} ms (failure: {FailureType})")]
    public static partial void LogAttemptEnded(this ILogger logger, LogLevel level, string kind, Guid jobId, int attempt, double durationMs, string outcome, string failureType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Kind} {JobId} attempt {Attempt}: this node no longer holds its lease; its outcome was not stored")]
    public static partial void LogLeaseLost(this ILogger logger, string kind, Guid jobId, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Kind} {JobId} attempt {Attempt}: cancellation requested")]
    public static partial void LogCancelRequested(this ILogger logger, string kind, Guid jobId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Claiming jobs failed ({Failure}: {Reason}); trying again")]
    public static partial void LogClaimFailed(this ILogger logger, string failure, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storing the outcome of job {Kind} {JobId} failed ({Failure}); trying again")]
    public static partial void LogWriteRetried(this ILogger logger, string kind, Guid jobId, string failure);

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing the outcome of job {Kind} {JobId} failed ({Failure}); its lease will expire and it will run again")]
    public static partial void LogWriteFailed(this ILogger logger, string kind, Guid jobId, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the leases of {Count} job(s) failed ({Failure})")]
    public static partial void LogHeartbeatFailed(this ILogger logger, string failure, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeping expired leases failed ({Failure})")]
    public static partial void LogSweepFailed(this ILogger logger, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Expired leases taken back: {Requeued} requeued, {DeadLettered} dead-lettered, {Cancelled} cancelled")]
    public static partial void LogSwept(this ILogger logger, int requeued, int deadLettered, int cancelled);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: letting {Count} running job(s) finish for up to {GraceSeconds} s")]
    public static partial void LogDraining(this ILogger logger, int count, int graceSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping: handed {Count} job(s) back after the grace period")]
    public static partial void LogHandedBack(this ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} finished job(s) past their retention")]
    public static partial void LogRetentionSwept(this ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not queue the job retention ({Failure}); trying again at the next tick")]
    public static partial void LogRetentionEnqueueFailed(this ILogger logger, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job engine node {Node}: updating the node registry failed ({Failure})")]
    public static partial void LogRegistryFailed(this ILogger logger, string node, string failure);
}
