namespace Loupe.Application.Common.Jobs;

/// <summary>
/// Loupe's job engine as the use cases see it (ADR 0021). A job enqueued here is written by the
/// current unit of work, in the same transaction as whatever the use case saved with it, so a run and
/// its job exist together or not at all; workers are woken when that transaction commits.
/// </summary>
public interface IJobScheduler
{
    /// <summary>
    /// Adds the job to the current unit of work; it is stored by the next <c>SaveChangesAsync</c>, after
    /// the rows saved with it. The job must be for the current organization (<c>ITenantScope</c>), or,
    /// with none, an instance job. When its <see cref="JobRequest.UniqueKey"/> is held by a queued or
    /// running job of the same organization, the save stores nothing for it (and does not fail).
    /// </summary>
    /// <returns>The job's id (a UUIDv7); it names no job when the unique key was taken.</returns>
    /// <exception cref="ArgumentException">The request is malformed (kind, queue, attempts, key, or a payload that is not JSON of at most 64 KiB).</exception>
    /// <exception cref="InvalidOperationException">The job is for another organization than the current one.</exception>
    Guid Enqueue(JobRequest request);

    /// <summary>
    /// Cancels a job: a queued (or retry-waiting) job is cancelled at once; a running one is told to stop
    /// on whichever node holds it (its cancellation token fires). Not cancellable when the job is unknown,
    /// finished, or of another organization than the current one. Runs in the unit of work's connection:
    /// inside an open transaction it takes effect when that commits.
    /// </summary>
    Task<JobCancellation> CancelAsync(Guid jobId, CancellationToken ct);

    /// <summary>
    /// Puts a failed or dead-lettered job back in its queue with its attempts reset. False when it is not
    /// failed, is of another organization, or another job with its unique key is queued or running.
    /// </summary>
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
