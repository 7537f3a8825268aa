using Loupe.Domain.Runs;
using Loupe.Domain.Schedules;

namespace Loupe.Application.Schedules;

/// <summary>
/// Row locks the tick takes in the current organization, inside the unit of work's transaction; the
/// rows come back tracked, so their changes are saved by the same transaction that holds the locks.
/// </summary>
public interface IScheduleClaims
{
    /// <summary>Up to <paramref name="limit"/> due schedules, earliest first, locked; rows another worker holds are skipped (<c>SKIP LOCKED</c>).</summary>
    Task<IReadOnlyList<Schedule>> ClaimDueAsync(DateTimeOffset now, int limit, CancellationToken ct);

    /// <summary>Up to <paramref name="limit"/> finished runs of schedules not counted yet, earliest finished first, locked; others' skipped.</summary>
    Task<IReadOnlyList<QueryRun>> ClaimFinishedRunsAsync(int limit, CancellationToken ct);

    /// <summary>
    /// Writes what firing changed on these claimed schedules (the next time, the last run) in one
    /// statement, and takes them off the unit of work's changes: a batch is one write, not one per schedule.
    /// </summary>
    Task SaveFiredAsync(IReadOnlyList<Schedule> fired, CancellationToken ct);

    /// <summary>These schedules, locked (waiting for a firing that holds one), in id order.</summary>
    Task<IReadOnlyList<Schedule>> LockAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct);
}
