using Loupe.Domain.Common;

namespace Loupe.Domain.Runs;

public static class RunErrors
{
    public static DomainError AlreadyFinished(RunStatus status) =>
        DomainError.Conflict("run.finished", $"The run has already finished ({status.ToName()}).");

    public static DomainError NotRunning(RunStatus status) =>
        DomainError.Conflict("run.not_running", $"The run is not running ({status.ToName()}).");

    public static readonly DomainError StaleAttempt =
        DomainError.Conflict("run.stale_attempt", "A later attempt of the run has started; this attempt's outcome is discarded.");

    public static readonly DomainError CancelNotAllowed = new(
        "run.cancel_not_allowed", "Only the person who started the run, or an admin, may cancel it.", DomainErrorKind.Forbidden);

    public static DomainError QueueFull(int limit) =>
        DomainError.LimitReached(
            "run.queue_full",
            $"This organization already has {limit} runs waiting to start, its limit. Wait until some have started, or cancel some, then try again.");

    public static readonly DomainError MaxAgeOutOfRange =
        DomainError.Validation(
            "run.max_age_out_of_range",
            "max_age_seconds",
            $"max_age_seconds: from 0 to {QueryRun.MaxCacheAgeSeconds} ({QueryRun.MaxCacheAgeSeconds / 86_400} days).");

    /// <summary>A run asked for a timeout its data source does not allow (see <see cref="RunTimeout"/>).</summary>
    public static DomainError TimeoutOutOfRange(int maxSeconds) =>
        DomainError.Validation(
            "run.timeout_out_of_range",
            "timeout_seconds",
            $"timeout_seconds: from {RunTimeout.MinSeconds} to {maxSeconds} seconds, the data source's own timeout (leave it out to use that).");

    public static readonly DomainError SqlRequired =
        DomainError.Validation("run.sql_required", "sql", "SQL is required.");

    public static readonly DomainError SqlTooLong =
        DomainError.Validation("run.sql_too_long", "sql", $"SQL has at most {QueryRun.SqlMaxLength} characters.");

    /// <summary>The run is queued or running: its result may still come.</summary>
    public static DomainError NotFinished(RunStatus status) =>
        DomainError.Conflict("run.not_finished", $"The run has no result yet: it is {status.ToName()}.");

    /// <summary>The run failed, timed out or was cancelled: it has no result, and never will.</summary>
    public static DomainError NoResult(RunStatus status) =>
        DomainError.Conflict("run.no_result", $"The run has no result: it is {status.ToName()}.");

    public static readonly DomainError ResultExpired =
        DomainError.Gone("run.result_expired", "The run's result has expired and was removed; run the query again.");
}
