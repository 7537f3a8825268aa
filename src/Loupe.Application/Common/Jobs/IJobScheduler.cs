namespace Loupe.Application.Common.Jobs;

/// <summary>
/// Loupe's job engine as the use cases see it (ADR 0021). A job enqueued here is written by the
/// current unit of work, in the same transaction as whatever the use case saved with it, so a run and
/// its job exist together or not at all; workers are woken when that transaction commits.
/// </summary>
public interface IJobScheduler
{
    /// <summary>Adds the job to the current unit of work; it is stored by the next <c>SaveChangesAsync</c>.</summary>
    /// <returns>The job's id.</returns>
    Guid Enqueue(JobRequest request);

    /// <summary>
    /// Cancels a job: a queued (or retry-waiting) job is cancelled at once; a running one is told to stop
    /// on whichever node holds it (its cancellation token fires). False when the job is unknown or finished.
    /// </summary>
    Task<JobCancellation> CancelAsync(Guid jobId, CancellationToken ct);

    /// <summary>Puts a failed or dead-lettered job back in its queue with its attempts reset. False when it is not failed.</summary>
    Task<bool> RequeueAsync(Guid jobId, CancellationToken ct);
}

/// <summary>What a cancel request found.</summary>
public enum JobCancellation
{
    /// <summary>The job is unknown, or already finished.</summary>
    NotCancellable,

    /// <summary>The job had not started and never will.</summary>
    CancelledBeforeStart,

    /// <summary>The job is running; the node that holds it has been told to stop it.</summary>
    CancellationRequested,
}
