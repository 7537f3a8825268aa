using Loupe.Domain.Common;

namespace Loupe.Application.AdminJobs;

/// <summary>Why an instance admin's action on a job was refused (the job engine is not part of the domain).</summary>
public static class AdminJobErrors
{
    public static readonly DomainError NotRetryable = DomainError.Conflict(
        "job.not_retryable", "Only a failed, dead-lettered or cancelled job can be retried.");

    public static readonly DomainError DuplicateQueued = DomainError.Conflict(
        "job.duplicate_queued", "Another job with the same unique key is queued or running; this one cannot be queued beside it.");

    public static readonly DomainError NotCancellable = DomainError.Conflict(
        "job.not_cancellable", "The job has finished; only a queued or running job can be cancelled.");

    public static readonly DomainError NotFinished = DomainError.Conflict(
        "job.not_finished", "Only a finished job (succeeded, failed, dead-lettered or cancelled) can be deleted.");

    public static readonly DomainError RunFinished = DomainError.Conflict(
        "job.run_finished",
        "The job ran a query whose run has ended (or no longer exists); a finished run is never run again. Run the query again for a new run.");

    public static readonly DomainError InvalidQueue = DomainError.Validation(
        "job.invalid_queue", "queue", "A queue name is 1–64 lower-case letters, digits, '.', '-' or '_'.");

    public static readonly DomainError SelectionTooLarge = DomainError.Validation(
        "job.selection_too_large", "ids", $"At most {RetrySelectionLimit} jobs can be retried at once.");

    public const int RetrySelectionLimit = 500;
}
