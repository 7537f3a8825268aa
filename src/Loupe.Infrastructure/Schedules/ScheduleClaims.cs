using Loupe.Application.Schedules;
using Loupe.Domain.Runs;
using Loupe.Domain.Schedules;
using Loupe.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Loupe.Infrastructure.Schedules;

/// <summary>
/// The tick's row locks, as SQL EF Core tracks the rows of (<c>xmin</c> included, the rows' version).
/// Row-level security keeps every statement to the current organization.
/// </summary>
internal sealed class ScheduleClaims(LoupeDbContext db) : IScheduleClaims
{
    public async Task<IReadOnlyList<Schedule>> ClaimDueAsync(DateTimeOffset now, int limit, CancellationToken ct) =>
        await db.Schedules
            .FromSql($"""
                SELECT s.*, s.xmin FROM schedules s
                WHERE s.next_run_at <= {now}
                ORDER BY s.next_run_at
                LIMIT {limit}
                FOR UPDATE SKIP LOCKED
                """)
            .ToListAsync(ct).ConfigureAwait(false);

    public async Task<IReadOnlyList<QueryRun>> ClaimFinishedRunsAsync(int limit, CancellationToken ct) =>
        await db.QueryRuns
            .FromSql($"""
                SELECT r.*, r.xmin FROM query_runs r
                WHERE r.schedule_id IS NOT NULL AND NOT r.schedule_settled AND r.status IN ('succeeded', 'failed', 'cancelled', 'timed_out')
                ORDER BY r.finished_at
                LIMIT {limit}
                FOR UPDATE SKIP LOCKED
                """)
            .ToListAsync(ct).ConfigureAwait(false);

    public async Task<IReadOnlyList<Schedule>> LockAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        var array = ids.Order().ToArray();
        return await db.Schedules
            .FromSql($"SELECT s.*, s.xmin FROM schedules s WHERE s.id = ANY ({array}) ORDER BY s.id FOR UPDATE")
            .ToListAsync(ct).ConfigureAwait(false);
    }
}
