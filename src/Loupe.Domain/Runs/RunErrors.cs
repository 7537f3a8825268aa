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

    public static readonly DomainError SqlRequired =
        DomainError.Validation("run.sql_required", "sql", "SQL is required.");

    public static readonly DomainError SqlTooLong =
        DomainError.Validation("run.sql_too_long", "sql", $"SQL has at most {QueryRun.SqlMaxLength} characters.");
}
