using Loupe.Domain.Common;

namespace Loupe.Domain.Runs;

/// <summary>
/// An organization may have at most a set number of runs waiting to start (queued): beyond it a new
/// run is refused with <see cref="RunErrors.QueueFull"/>, so one tenant cannot bury the job queue (ADR 0030).
/// </summary>
public static class RunQueueQuota
{
    /// <summary>Throws <see cref="RunErrors.QueueFull"/> when <paramref name="queued"/> runs already fill the <paramref name="limit"/>.</summary>
    public static void EnsureRoom(int queued, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(queued);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (queued >= limit)
        {
            throw new DomainException(RunErrors.QueueFull(limit));
        }
    }
}
