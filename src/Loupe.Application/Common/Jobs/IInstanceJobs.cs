namespace Loupe.Application.Common.Jobs;

/// <summary>
/// Stores an instance job (one of no organization) at once, in a transaction of its own, outside the
/// unit of work and whatever organization the caller has entered. For work a request hands off
/// without saving anything else, where the request must cost the same whoever it concerns (a refused
/// sign-in).
/// </summary>
public interface IInstanceJobs
{
    /// <returns>The job's id.</returns>
    Task<Guid> EnqueueAsync(JobRequest request, CancellationToken cancellationToken);
}
