using Loupe.Application.Common.Jobs;
using Npgsql;
using NpgsqlTypes;

namespace Loupe.Infrastructure.Jobs;

/// <summary>
/// The jobs admin API's reads and actions, across every organization, through the functions of
/// migrations 0026, 0029 and 0030 (owned by the owner role, so row-level security does not narrow them).
/// </summary>
internal sealed class JobAdministration(NpgsqlDataSource dataSource) : IJobAdministration
{
    /// <summary>Sorts above every UUIDv7: the cursor of the first page.</summary>
    private static readonly Guid Highest = Guid.Parse("ffffffff-ffff-ffff-ffff-ffffffffffff");

    private const string RowColumns =
        "id, kind, queue, priority, organization_id, status, attempt, max_attempts, run_at, enqueued_at, started_at, finished_at, error, " +
        "node, claimed_at, lease_expires_at, heartbeat_at, cancel_requested_at";

    public async Task<IReadOnlyList<QueueDepth>> QueuesAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT queue, priority, depth, oldest_run_at FROM loupe_admin_jobs_queues()");
        var queues = new List<QueueDepth>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            queues.Add(new QueueDepth(reader.GetString(0), (JobPriority)reader.GetInt32(1), reader.GetInt64(2), Utc(reader.GetDateTime(3))));
        }

        return queues;
    }

    public async Task<IReadOnlyList<QueueNotDue>> QueuesNotDueAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT queue, jobs, next_run_at FROM loupe_admin_jobs_queues_not_due()");
        var queues = new List<QueueNotDue>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            queues.Add(new QueueNotDue(reader.GetString(0), reader.GetInt64(1), Utc(reader.GetDateTime(2))));
        }

        return queues;
    }

    public async Task<IReadOnlyList<ThroughputBucket>> ThroughputAsync(DateTimeOffset since, ThroughputUnit bucket, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT bucket, succeeded, failed FROM loupe_admin_jobs_throughput($1, $2)");
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = since.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<string>
        {
            TypedValue = bucket switch
            {
                ThroughputUnit.Second => "second",
                ThroughputUnit.Hour => "hour",
                _ => "day",
            },
        });
        var buckets = new List<ThroughputBucket>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            buckets.Add(new ThroughputBucket(Utc(reader.GetDateTime(0)), reader.GetInt64(1), reader.GetInt64(2)));
        }

        return buckets;
    }

    public async Task<IReadOnlyList<AdminJobRow>> PageAsync(JobPageFilter filter, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var command = dataSource.CreateCommand($"SELECT {RowColumns} FROM loupe_admin_jobs_page($1, $2, $3, $4, $5, $6, $7, $8)");
        AddPageParameters(command, filter, limit);
        var rows = new List<AdminJobRow>(limit);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            rows.Add(Row(reader));
        }

        return rows;
    }

    public async Task<AdminJobRecord?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, kind, queue, priority, organization_id, loupe_jobs_status(state, attempt, run_at), attempt, max_attempts, run_at, " +
            "enqueued_at, started_at, finished_at, error, lease_owner, claimed_at, lease_expires_at, heartbeat_at, cancel_requested_at, payload, unique_key " +
            "FROM loupe_jobs_get($1)");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            return null;
        }

        return new AdminJobRecord(Row(reader), reader.GetString(18), reader.IsDBNull(19) ? null : reader.GetString(19));
    }

    public async Task<JobRetryOutcome> RetryAsync(Guid id, CancellationToken ct) =>
        await ActAsync("loupe_admin_jobs_retry", id, ct).ConfigureAwait(false) switch
        {
            "retried" => JobRetryOutcome.Retried,
            "not_retryable" => JobRetryOutcome.NotRetryable,
            "duplicate" => JobRetryOutcome.Duplicate,
            _ => JobRetryOutcome.NotFound,
        };

    public async Task<JobCancelOutcome> CancelAsync(Guid id, CancellationToken ct) =>
        await ActAsync("loupe_admin_jobs_cancel", id, ct).ConfigureAwait(false) switch
        {
            "cancelled_before_start" => JobCancelOutcome.CancelledBeforeStart,
            "cancellation_requested" => JobCancelOutcome.CancellationRequested,
            "not_cancellable" => JobCancelOutcome.NotCancellable,
            _ => JobCancelOutcome.NotFound,
        };

    public async Task<JobDeleteOutcome> DeleteAsync(Guid id, CancellationToken ct) =>
        await ActAsync("loupe_admin_jobs_delete", id, ct).ConfigureAwait(false) switch
        {
            "deleted" => JobDeleteOutcome.Deleted,
            "not_finished" => JobDeleteOutcome.NotFinished,
            _ => JobDeleteOutcome.NotFound,
        };

    /// <summary>The plan PostgreSQL chooses for a page (EXPLAIN's lines), for tests that hold the list to an index scan.</summary>
    internal async Task<IReadOnlyList<string>> PlanAsync(JobPageFilter filter, int limit, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT * FROM loupe_admin_jobs_page_plan($1, $2, $3, $4, $5, $6, $7, $8)");
        AddPageParameters(command, filter, limit);
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            lines.Add(reader.GetString(0));
        }

        return lines;
    }

    /// <summary>
    /// The lowest UUIDv7 of a time: its 48-bit Unix milliseconds, then zeros (the version nibble 7 of
    /// every real id sorts above them). Ids compare byte by byte, as their text does.
    /// </summary>
    internal static Guid LowestIdAt(DateTimeOffset time)
    {
        var milliseconds = Math.Clamp(time.ToUnixTimeMilliseconds(), 0, 0xFFFF_FFFF_FFFF);
        var hex = milliseconds.ToString("x12", System.Globalization.CultureInfo.InvariantCulture);
        return Guid.Parse($"{hex[..8]}-{hex[8..]}-0000-0000-000000000000");
    }

    private static void AddPageParameters(NpgsqlCommand command, JobPageFilter filter, int limit)
    {
        var (states, statuses) = StoredStates(filter.Statuses);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)states ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)statuses ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)filter.Kind ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)filter.OrganizationId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        var before = filter.Before ?? Highest;
        if (filter.To is { } to && Compare(LowestIdAt(to), before) < 0)
        {
            before = LowestIdAt(to);
        }

        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = before });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = filter.From is { } from ? LowestIdAt(from) : Guid.Empty });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)filter.Queue ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
    }

    /// <summary>Ids as PostgreSQL orders them: by their text (big-endian bytes).</summary>
    private static int Compare(Guid a, Guid b) => string.CompareOrdinal(a.ToString(), b.ToString());

    /// <summary>
    /// The stored states a status filter reads, and the statuses to check on top when queued, scheduled
    /// and retrying (all stored as queued) are not all asked for.
    /// </summary>
    private static (string[]? States, string[]? Statuses) StoredStates(IReadOnlyList<JobStatus>? statuses)
    {
        if (statuses is not { Count: > 0 })
        {
            return (null, null);
        }

        var states = statuses.Select(s => StoredState(s).ToText()).Distinct(StringComparer.Ordinal).ToArray();
        var waiting = statuses.Where(s => s is JobStatus.Queued or JobStatus.Scheduled or JobStatus.Retrying).Distinct().ToArray();
        return waiting.Length is 0 or 3 ? (states, null) : (states, [.. statuses.Select(StatusText)]);
    }

    private static JobState StoredState(JobStatus status) => status switch
    {
        JobStatus.Queued or JobStatus.Scheduled or JobStatus.Retrying => JobState.Queued,
        JobStatus.Running => JobState.Running,
        JobStatus.Succeeded => JobState.Succeeded,
        JobStatus.Failed => JobState.Failed,
        JobStatus.DeadLettered => JobState.DeadLettered,
        _ => JobState.Cancelled,
    };

    private static string StatusText(JobStatus status) => status switch
    {
        JobStatus.Scheduled => "scheduled",
        JobStatus.Retrying => "retrying",
        _ => StoredState(status).ToText(),
    };

    private static JobStatus StatusOf(string text) => text switch
    {
        "scheduled" => JobStatus.Scheduled,
        "retrying" => JobStatus.Retrying,
        _ => JobStates.Parse(text) switch
        {
            JobState.Queued => JobStatus.Queued,
            JobState.Running => JobStatus.Running,
            JobState.Succeeded => JobStatus.Succeeded,
            JobState.Failed => JobStatus.Failed,
            JobState.DeadLettered => JobStatus.DeadLettered,
            _ => JobStatus.Cancelled,
        },
    };

    private async Task<string> ActAsync(string function, Guid id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {function}($1)");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        return (string)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    private static AdminJobRow Row(NpgsqlDataReader reader) => new(
        new JobSummary(
            reader.GetGuid(0),
            reader.GetString(1),
            reader.GetString(2),
            (JobPriority)reader.GetInt32(3),
            reader.IsDBNull(4) ? null : reader.GetGuid(4),
            StatusOf(reader.GetString(5)),
            reader.GetInt32(6),
            reader.GetInt32(7),
            Utc(reader.GetDateTime(8)),
            Utc(reader.GetDateTime(9)),
            NullableUtc(reader, 10),
            NullableUtc(reader, 11),
            reader.IsDBNull(12) ? null : reader.GetString(12)),
        reader.IsDBNull(13) ? null : reader.GetString(13),
        NullableUtc(reader, 14),
        NullableUtc(reader, 15),
        NullableUtc(reader, 16),
        NullableUtc(reader, 17));

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private static DateTimeOffset? NullableUtc(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : Utc(reader.GetDateTime(ordinal));
}
