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

    public async Task SaveFiredAsync(IReadOnlyList<Schedule> fired, CancellationToken ct)
    {
        if (fired.Count == 0)
        {
            return;
        }

        var ids = fired.Select(s => s.Id).ToArray();
        var next = fired.Select(s => s.NextRunAt).ToArray();
        var runs = fired.Select(s => s.LastRunId).ToArray();
        var statuses = fired.Select(s => s.LastRunStatus?.ToName()).ToArray();
        var at = fired.Select(s => s.LastRunAt).ToArray();

        // The rows are this transaction's (claimed FOR UPDATE): nobody else can have changed them.
        var versions = (await db.Database
            .SqlQuery<FiredVersion>($"""
                UPDATE schedules s
                SET next_run_at = v.next_run_at, last_run_id = v.last_run_id, last_run_status = v.last_run_status, last_run_at = v.last_run_at
                FROM unnest({ids}, {next}, {runs}, {statuses}, {at}) AS v(id, next_run_at, last_run_id, last_run_status, last_run_at)
                WHERE s.id = v.id
                RETURNING s.id AS "Id", s.xmin::text::bigint AS "Version"
                """)
            .ToListAsync(ct).ConfigureAwait(false))
            .ToDictionary(v => v.Id, v => v.Version);
        foreach (var schedule in fired)
        {
            var entry = db.Entry(schedule);
            entry.Property(s => s.RowVersion).CurrentValue = (uint)versions[schedule.Id];
            entry.OriginalValues.SetValues(entry.CurrentValues);
            entry.State = EntityState.Unchanged;
        }
    }

    public async Task<IReadOnlyList<Schedule>> LockAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        var array = ids.Order().ToArray();
        return await db.Schedules
            .FromSql($"SELECT s.*, s.xmin FROM schedules s WHERE s.id = ANY ({array}) ORDER BY s.id FOR UPDATE")
            .ToListAsync(ct).ConfigureAwait(false);
    }
}

/// <summary>A fired schedule's new row version (<c>xmin</c>, an unsigned 32-bit number read as a bigint), as the batch update returns it.</summary>
internal sealed record FiredVersion(Guid Id, long Version);
