using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Paging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Loupe.Infrastructure.Jobs;

/// <summary>
/// The jobs dashboard's reads, across every organization, through the read functions of migrations
/// 0005 and 0025 (owned by the owner role, so row-level security does not narrow them to one organization).
/// </summary>
internal sealed class JobsReadModel(NpgsqlDataSource dataSource, IOptions<JobsOptions> options) : IJobsReadModel
{
    private const string SummaryColumns =
        "id, kind, queue, priority, organization_id, status, attempt, max_attempts, run_at, enqueued_at, started_at, finished_at, error";

    public async Task<IReadOnlyList<JobCount>> CountAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT status, kind, queue, jobs FROM loupe_jobs_counts() ORDER BY 1, 2, 3");
        var counts = new List<JobCount>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            counts.Add(new JobCount(StatusOf(reader.GetString(0)), reader.GetString(1), reader.GetString(2), reader.GetInt64(3)));
        }

        return counts;
    }

    public async Task<IReadOnlyList<RunningJob>> RunningAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, kind, queue, organization_id, attempt, max_attempts, node, claimed_at, heartbeat_at, lease_expires_at, cancel_requested " +
            "FROM loupe_jobs_running()");
        var running = new List<RunningJob>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            running.Add(new RunningJob(
                reader.GetGuid(0),
                reader.GetString(1),
                reader.GetString(2),
                NullableGuid(reader, 3),
                reader.GetInt32(4),
                reader.GetInt32(5),
                reader.GetString(6),
                Utc(reader.GetDateTime(7)),
                Utc(reader.GetDateTime(8)),
                Utc(reader.GetDateTime(9)),
                reader.GetBoolean(10)));
        }

        return running;
    }

    public async Task<IReadOnlyList<JobSummary>> RecentFailuresAsync(int limit, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var command = dataSource.CreateCommand($"SELECT {SummaryColumns} FROM loupe_jobs_recent_failures($1)");
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Math.Min(limit, PageRequest.MaxPerPage) });
        var failures = new List<JobSummary>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            failures.Add(Summary(reader));
        }

        return failures;
    }

    public async Task<PagedResult<JobSummary>> ListAsync(JobListFilter filter, PageRequest page, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(page);
        var rows = new List<JobSummary>(page.PerPage);
        long total = 0;
        await using (var command = ListCommand($"SELECT {SummaryColumns}, total", filter, page.Skip, page.PerPage))
        {
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                rows.Add(Summary(reader));
                total = reader.GetInt64(13);
            }
        }

        if (rows.Count == 0 && page.Skip > 0)
        {
            // Past the last page no row carries the total; count apart so the pagination stays right.
            await using var count = ListCommand("SELECT count(*)", filter, 0, null);
            total = (long)(await count.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
        }

        return new PagedResult<JobSummary>(rows, Pagination.Create(page, (int)Math.Min(total, int.MaxValue)));
    }

    public async Task<JobDetail?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, kind, queue, priority, organization_id, loupe_jobs_status(state, attempt, run_at), attempt, max_attempts, run_at, " +
            "enqueued_at, started_at, finished_at, error, payload, unique_key, lease_owner, claimed_at, heartbeat_at, cancel_requested_at " +
            "FROM loupe_jobs_get($1)");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            return null;
        }

        return new JobDetail(
            Summary(reader),
            reader.GetString(13),
            reader.IsDBNull(14) ? null : reader.GetString(14),
            reader.IsDBNull(15) ? null : reader.GetString(15),
            NullableUtc(reader, 16),
            NullableUtc(reader, 17),
            NullableUtc(reader, 18));
    }

    public async Task<IReadOnlyList<JobAttempt>> AttemptsAsync(Guid jobId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT claim, attempt, node, started_at, ended_at, outcome, error FROM loupe_jobs_attempts($1)");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = jobId });
        var attempts = new List<JobAttempt>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            attempts.Add(new JobAttempt(
                reader.GetInt32(0),
                reader.GetInt32(1),
                reader.GetString(2),
                Utc(reader.GetDateTime(3)),
                NullableUtc(reader, 4),
                reader.IsDBNull(5) ? null : OutcomeOf(reader.GetString(5)),
                reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        return attempts;
    }

    public async Task<IReadOnlyList<EngineNode>> NodesAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT node, host, machine, process_id, started_at, heartbeat_at, slots, slots_used, queues, lost FROM loupe_jobs_nodes($1)");
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = options.Value.EffectiveNodeLostSeconds });
        var nodes = new List<EngineNode>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            nodes.Add(new EngineNode(
                reader.GetString(0),
                reader.GetString(1) == JobNodeHost.Api.Kind ? EngineNodeHost.Api : EngineNodeHost.Worker,
                reader.GetString(2),
                reader.GetInt32(3),
                Utc(reader.GetDateTime(4)),
                Utc(reader.GetDateTime(5)),
                reader.GetInt32(6),
                reader.GetInt32(7),
                reader.GetFieldValue<string[]>(8),
                reader.GetBoolean(9)));
        }

        return nodes;
    }

    private NpgsqlCommand ListCommand(string select, JobListFilter filter, int offset, int? limit)
    {
        var command = dataSource.CreateCommand($"{select} FROM loupe_jobs_list($1, $2, $3, $4, $5, $6)");
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = filter.Statuses is { Count: > 0 } statuses ? statuses.Select(TextOf).ToArray() : DBNull.Value,
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text,
        });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)filter.Kind ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)filter.Queue ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)filter.OrganizationId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = offset });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)limit ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        return command;
    }

    private static JobSummary Summary(NpgsqlDataReader reader) => new(
        reader.GetGuid(0),
        reader.GetString(1),
        reader.GetString(2),
        (JobPriority)reader.GetInt32(3),
        NullableGuid(reader, 4),
        StatusOf(reader.GetString(5)),
        reader.GetInt32(6),
        reader.GetInt32(7),
        Utc(reader.GetDateTime(8)),
        Utc(reader.GetDateTime(9)),
        NullableUtc(reader, 10),
        NullableUtc(reader, 11),
        reader.IsDBNull(12) ? null : reader.GetString(12));

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

    private static JobAttemptOutcome OutcomeOf(string text) => text switch
    {
        "succeeded" => JobAttemptOutcome.Succeeded,
        "failed" => JobAttemptOutcome.Failed,
        "retrying" => JobAttemptOutcome.Retrying,
        "dead_lettered" => JobAttemptOutcome.DeadLettered,
        "cancelled" => JobAttemptOutcome.Cancelled,
        "released" => JobAttemptOutcome.Released,
        "lease_expired" => JobAttemptOutcome.LeaseExpired,
        _ => throw new InvalidOperationException($"Unknown attempt outcome '{text}'."),
    };

    private static string TextOf(JobStatus status) => status switch
    {
        JobStatus.Scheduled => "scheduled",
        JobStatus.Retrying => "retrying",
        JobStatus.Queued => JobState.Queued.ToText(),
        JobStatus.Running => JobState.Running.ToText(),
        JobStatus.Succeeded => JobState.Succeeded.ToText(),
        JobStatus.Failed => JobState.Failed.ToText(),
        JobStatus.DeadLettered => JobState.DeadLettered.ToText(),
        _ => JobState.Cancelled.ToText(),
    };

    private static Guid? NullableGuid(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetGuid(ordinal);

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private static DateTimeOffset? NullableUtc(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : Utc(reader.GetDateTime(ordinal));
}
