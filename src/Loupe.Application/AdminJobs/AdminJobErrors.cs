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

    public static readonly DomainError ServesRun = DomainError.Conflict(
        "job.serves_run", "The job runs a query: cancel or run again the run itself, so that the run and its job stay in step.");

    public static readonly DomainError SelectionTooLarge = DomainError.Validation(
        "job.selection_too_large", "ids", $"At most {RetrySelectionLimit} jobs can be retried at once.");

    public const int RetrySelectionLimit = 500;
}
