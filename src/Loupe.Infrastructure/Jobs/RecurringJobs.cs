using Loupe.Application.AdminJobs;
using Loupe.Application.Common.Jobs;
using Loupe.Infrastructure.Runs;
using Loupe.Infrastructure.Tenancy;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Loupe.Infrastructure.Jobs;

/// <summary>
/// The system jobs the engine's nodes queue on a timer, their pauses (migration 0028), and the reads
/// across organizations the recurring jobs' admin page needs, through SECURITY DEFINER functions (ADR 0071).
/// Every timer asks <see cref="PausedAsync"/> before it queues, so a pause holds on every node.
/// </summary>
internal sealed class RecurringJobs(NpgsqlDataSource dataSource, IOptions<JobsOptions> jobs, IOptions<RunOptions> runs) : IRecurringJobs
{
    public IReadOnlyList<SystemJobDefinition> SystemJobs { get; } =
    [
        new(JobRetentionJob.JobKind, Minutes(jobs.Value.Retention.SweepMinutes), "Deletes finished jobs past their retention."),
        new(ResultRetentionJob.JobKind, Minutes(runs.Value.RetentionSweepMinutes), "Deletes stored results past their retention."),
        new(StrandedRunsJob.JobKind, Minutes(runs.Value.RetentionSweepMinutes), "Closes runs whose job ended without finishing them."),
    ];

    /// <summary>The job a timer (or an admin's trigger) queues for a system kind: an instance job whose unique key is its kind.</summary>
    public static JobRequest Request(string kind) => new(kind, "{}", null, JobPriority.Maintenance, MaxAttempts: 3, UniqueKey: kind);

    /// <summary>Whether the kind is paused, for a timer about to queue it.</summary>
    public async Task<bool> PausedAsync(string kind, CancellationToken ct) => (await PausesAsync(ct).ConfigureAwait(false)).ContainsKey(kind);

    public async Task<IReadOnlyDictionary<string, SystemJobPause>> PausesAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT kind, paused_at, paused_by FROM loupe_recurring_job_pauses()");
        var pauses = new Dictionary<string, SystemJobPause>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            pauses[reader.GetString(0)] = new SystemJobPause(Utc(reader.GetDateTime(1)), reader.IsDBNull(2) ? null : reader.GetGuid(2));
        }

        return pauses;
    }

    public async Task<IReadOnlyDictionary<string, LatestSystemJob>> LatestAsync(IReadOnlyList<string> kinds, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT kind, id, status, enqueued_at, run_at, finished_at, error FROM loupe_recurring_job_latest($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = kinds.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        var latest = new Dictionary<string, LatestSystemJob>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            if (!AdminJobStatuses.TryParse(reader.GetString(2), out var statuses) || statuses is not [var status])
            {
                throw new InvalidOperationException($"The job status '{reader.GetString(2)}' is not one the admin API names.");
            }

            latest[reader.GetString(0)] = new LatestSystemJob(
                reader.GetGuid(1),
                status,
                Utc(reader.GetDateTime(3)),
                Utc(reader.GetDateTime(4)),
                reader.IsDBNull(5) ? null : Utc(reader.GetDateTime(5)),
                reader.IsDBNull(6) ? null : reader.GetString(6));
        }

        return latest;
    }

    public async Task<Guid?> EnqueueAsync(SystemJobDefinition job, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(job);
        var request = Request(job.Kind);
        JobRequests.Check(request);
        var queued = Job.Queued(Guid.CreateVersion7(), request);
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(OrganizationSetting.BatchCommand(null));
        var insert = JobOutbox.InsertCommand([queued]);
        batch.BatchCommands.Add(insert);
        await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);

        // The insert skips a job whose unique key an unfinished one holds.
        return insert.RecordsAffected == 1 ? queued.Id : null;
    }

    public async Task<bool> PauseAsync(string kind, Guid? by, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT loupe_recurring_job_pause($1, $2)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = kind });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)by ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        return (bool)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    public async Task<bool> ResumeAsync(string kind, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT loupe_recurring_job_resume($1)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = kind });
        return (bool)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    public async Task<IReadOnlyList<RecurringScheduleRow>> SchedulesAsync(Guid? after, int limit, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var command = dataSource.CreateCommand(
            "SELECT id, organization_id, organization_name, name, cron, timezone, enabled, paused_reason, consecutive_failures, next_run_at, " +
            "last_run_id, last_run_status, last_run_at FROM loupe_admin_schedules_page($1, $2)");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = after ?? Guid.Empty });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var rows = new List<RecurringScheduleRow>(limit);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            rows.Add(new RecurringScheduleRow(
                reader.GetGuid(0),
                reader.GetGuid(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                reader.GetBoolean(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.GetInt32(8),
                reader.IsDBNull(9) ? null : Utc(reader.GetDateTime(9)),
                reader.IsDBNull(10) ? null : reader.GetGuid(10),
                reader.IsDBNull(11) ? null : reader.GetString(11),
                reader.IsDBNull(12) ? null : Utc(reader.GetDateTime(12))));
        }

        return rows;
    }

    public async Task<Guid?> ScheduleOrganizationAsync(Guid scheduleId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT loupe_admin_schedule_organization($1)");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = scheduleId });
        return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is Guid organization ? organization : null;
    }

    private static TimeSpan? Minutes(int minutes) => minutes == 0 ? null : TimeSpan.FromMinutes(minutes);

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}

/// <summary>A row of <c>recurring_job_pauses</c>: a system job no node queues on its timer until it is resumed.</summary>
internal sealed class RecurringJobPause
{
    public string Kind { get; init; } = string.Empty;

    public DateTime PausedAt { get; init; }

    public Guid? PausedBy { get; init; }
}
