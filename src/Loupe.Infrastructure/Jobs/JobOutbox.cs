using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Npgsql;
using NpgsqlTypes;

namespace Loupe.Infrastructure.Jobs;

/// <summary>
/// Writes the jobs a unit of work enqueued, in its transaction, after EF Core's own statements (so a
/// job may name a row saved with it). One <c>INSERT … ON CONFLICT DO NOTHING</c> for them all: a job
/// whose unique key is taken by an unfinished job is skipped without an error, so it never aborts the
/// caller's transaction. The insert's statement trigger notifies the engines, delivered at commit.
/// </summary>
internal static class JobOutbox
{
    private const string Insert =
        """
        INSERT INTO jobs (id, kind, queue, priority, payload, organization_id, state, attempt, max_attempts, run_at, unique_key, enqueued_at,
                          trace_parent, trace_state)
        SELECT u.id, u.kind, u.queue, u.priority, u.payload, u.organization_id, 'queued', 0, u.max_attempts,
               coalesce(u.run_at, clock_timestamp()), u.unique_key, clock_timestamp(), u.trace_parent, u.trace_state
        FROM unnest(@ids, @kinds, @queues, @priorities, @payloads, @organizations, @max_attempts, @run_ats, @unique_keys,
                    @trace_parents, @trace_states)
             AS u (id, kind, queue, priority, payload, organization_id, max_attempts, run_at, unique_key, trace_parent, trace_state)
        ORDER BY u.id
        ON CONFLICT DO NOTHING
        """;

    /// <summary>Takes the enqueued jobs out of the change tracker, so EF Core does not insert them itself.</summary>
    public static List<Job> Take(ChangeTracker changes)
    {
        var entries = changes.Entries<Job>().Where(e => e.State == EntityState.Added).ToList();
        foreach (var entry in entries)
        {
            entry.State = EntityState.Detached;
        }

        return [.. entries.Select(e => e.Entity)];
    }

    /// <summary>Puts jobs back in the unit of work when its save failed, so a retried save still writes them.</summary>
    public static void Restore(DbContext context, IEnumerable<Job> jobs)
    {
        foreach (var job in jobs)
        {
            context.Add(job);
        }
    }

    /// <returns>The jobs stored (those skipped for their unique key are not counted).</returns>
    public static Task<int> WriteAsync(DbContext context, IReadOnlyList<Job> jobs, CancellationToken cancellationToken) =>
        jobs.Count == 0 ? Task.FromResult(0) : context.Database.ExecuteSqlRawAsync(Insert, Parameters(jobs), cancellationToken);

    public static int Write(DbContext context, IReadOnlyList<Job> jobs) =>
        jobs.Count == 0 ? 0 : context.Database.ExecuteSqlRaw(Insert, Parameters(jobs));

    /// <summary>The same insert as a batch command, for a write outside a unit of work (<see cref="InstanceJobs"/>).</summary>
    public static NpgsqlBatchCommand InsertCommand(IReadOnlyList<Job> jobs)
    {
        var command = new NpgsqlBatchCommand(Insert);
        command.Parameters.AddRange(Parameters(jobs));
        return command;
    }

    private static NpgsqlParameter[] Parameters(IReadOnlyList<Job> jobs) =>
    [
        new("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = jobs.Select(j => j.Id).ToArray() },
        new("kinds", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = jobs.Select(j => j.Kind).ToArray() },
        new("queues", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = jobs.Select(j => j.Queue).ToArray() },
        new("priorities", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = jobs.Select(j => (int)j.Priority).ToArray() },
        new("payloads", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = jobs.Select(j => j.Payload).ToArray() },
        new("organizations", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = jobs.Select(j => j.OrganizationId).ToArray() },
        new("max_attempts", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = jobs.Select(j => j.MaxAttempts).ToArray() },
        new("run_ats", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = jobs.Select(j => j.RunAt).ToArray() },
        new("unique_keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = jobs.Select(j => j.UniqueKey).ToArray() },
        new("trace_parents", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = jobs.Select(j => j.TraceParent).ToArray() },
        new("trace_states", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = jobs.Select(j => j.TraceState).ToArray() },
    ];
}
