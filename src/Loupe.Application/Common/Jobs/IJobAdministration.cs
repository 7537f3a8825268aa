namespace Loupe.Application.Common.Jobs;

/// <summary>
/// The instance admin's view of the job engine and the actions on any job, whatever its organization
/// (the jobs admin API, docs/jobs-admin-api.md). Reads and changes go through SQL functions that are
/// not narrowed to the current organization; only instance-admin requests may use this port.
/// </summary>
public interface IJobAdministration
{
    /// <summary>Due queued jobs per queue and priority, with the oldest one's due time.</summary>
    Task<IReadOnlyList<QueueDepth>> QueuesAsync(CancellationToken ct);

    /// <summary>Queued jobs not due yet (scheduled or retrying) per queue, with when the next one falls due.</summary>
    Task<IReadOnlyList<QueueNotDue>> QueuesNotDueAsync(CancellationToken ct);

    /// <summary>Succeeded and failed jobs per <paramref name="bucket"/> since <paramref name="since"/>, oldest bucket first; empty buckets are left out.</summary>
    Task<IReadOnlyList<ThroughputBucket>> ThroughputAsync(DateTimeOffset since, ThroughputUnit bucket, CancellationToken ct);

    /// <summary>One page of jobs, newest first (by id, a UUIDv7), below the cursor <see cref="JobPageFilter.Before"/>.</summary>
    Task<IReadOnlyList<AdminJobRow>> PageAsync(JobPageFilter filter, int limit, CancellationToken ct);

    /// <summary>One job with its stored payload (to be filtered before anyone sees it); null when it does not exist.</summary>
    Task<AdminJobRecord?> GetAsync(Guid id, CancellationToken ct);

    Task<JobRetryOutcome> RetryAsync(Guid id, CancellationToken ct);

    Task<JobCancelOutcome> CancelAsync(Guid id, CancellationToken ct);

    Task<JobDeleteOutcome> DeleteAsync(Guid id, CancellationToken ct);
}

public enum ThroughputUnit
{
    Second,
    Hour,
    Day,
}

public sealed record QueueDepth(string Queue, JobPriority Priority, long Depth, DateTimeOffset OldestRunAt);

public sealed record QueueNotDue(string Queue, long Jobs, DateTimeOffset NextRunAt);

/// <param name="Failed">Failed and dead-lettered.</param>
public sealed record ThroughputBucket(DateTimeOffset Start, long Succeeded, long Failed);

/// <summary>Which jobs a page shows; null means any.</summary>
/// <param name="Before">The cursor: only jobs whose id sorts below it.</param>
/// <param name="From">Only jobs enqueued at or after this time.</param>
/// <param name="To">Only jobs enqueued before this time.</param>
/// <param name="Queue">Only jobs of this queue.</param>
public sealed record JobPageFilter(
    IReadOnlyList<JobStatus>? Statuses = null,
    string? Kind = null,
    Guid? OrganizationId = null,
    Guid? Before = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? Queue = null);

/// <summary>A job as the admin lists show it: no payload.</summary>
/// <param name="Node">The node holding its lease, while it runs.</param>
public sealed record AdminJobRow(
    JobSummary Summary,
    string? Node,
    DateTimeOffset? ClaimedAt,
    DateTimeOffset? LeaseExpiresAt,
    DateTimeOffset? HeartbeatAt,
    DateTimeOffset? CancelRequestedAt);

/// <summary>A job's row with its raw payload. The payload never leaves the application unfiltered.</summary>
public sealed record AdminJobRecord(AdminJobRow Row, string Payload, string? UniqueKey);

public enum JobRetryOutcome
{
    Retried,
    NotFound,

    /// <summary>It is queued, running or succeeded.</summary>
    NotRetryable,

    /// <summary>Another job with its unique key is queued or running.</summary>
    Duplicate,
}

public enum JobCancelOutcome
{
    CancelledBeforeStart,
    CancellationRequested,
    NotFound,

    /// <summary>It has finished.</summary>
    NotCancellable,
}

public enum JobDeleteOutcome
{
    Deleted,
    NotFound,

    /// <summary>It is queued or running.</summary>
    NotFinished,
}
