using Loupe.Application.Common.Paging;

namespace Loupe.Application.Common.Jobs;

/// <summary>
/// What the jobs dashboard (planned, docs/overview.md) shows: every organization's jobs, for the people who operate
/// the instance. Payloads appear only in <see cref="GetAsync"/>; lists carry none.
/// </summary>
public interface IJobsReadModel
{
    /// <summary>How many jobs there are per status, kind and queue (combinations with none are left out).</summary>
    Task<IReadOnlyList<JobCount>> CountAsync(CancellationToken ct);

    /// <summary>The running jobs, oldest claim first, with the node that holds each and its last heartbeat.</summary>
    Task<IReadOnlyList<RunningJob>> RunningAsync(CancellationToken ct);

    /// <summary>The most recently failed and dead-lettered jobs, newest first.</summary>
    Task<IReadOnlyList<JobSummary>> RecentFailuresAsync(int limit, CancellationToken ct);

    /// <summary>One page of jobs, newest first.</summary>
    Task<PagedResult<JobSummary>> ListAsync(JobListFilter filter, PageRequest page, CancellationToken ct);

    /// <summary>One job with its payload; null when it does not exist.</summary>
    Task<JobDetail?> GetAsync(Guid id, CancellationToken ct);
}

/// <summary>A job's status as the dashboard shows it.</summary>
public enum JobStatus
{
    /// <summary>Due, waiting for a node.</summary>
    Queued,

    /// <summary>Queued, first attempt not due yet.</summary>
    Scheduled,

    /// <summary>Queued after a failed attempt, waiting out its backoff.</summary>
    Retrying,

    Running,
    Succeeded,

    /// <summary>Failed for a reason that will not pass; it can be requeued.</summary>
    Failed,

    /// <summary>Every attempt failed; it can be requeued.</summary>
    DeadLettered,

    Cancelled,
}

public sealed record JobCount(JobStatus Status, string Kind, string Queue, long Jobs);

/// <param name="Node">The node holding its lease.</param>
public sealed record RunningJob(
    Guid Id,
    string Kind,
    string Queue,
    Guid? OrganizationId,
    int Attempt,
    int MaxAttempts,
    string Node,
    DateTimeOffset ClaimedAt,
    DateTimeOffset HeartbeatAt,
    DateTimeOffset LeaseExpiresAt,
    bool CancelRequested);

/// <param name="Error">The last attempt's error, if it failed.</param>
public sealed record JobSummary(
    Guid Id,
    string Kind,
    string Queue,
    JobPriority Priority,
    Guid? OrganizationId,
    JobStatus Status,
    int Attempt,
    int MaxAttempts,
    DateTimeOffset RunAt,
    DateTimeOffset EnqueuedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Error);

/// <param name="Node">The node holding it, while it runs.</param>
public sealed record JobDetail(
    JobSummary Summary,
    string Payload,
    string? UniqueKey,
    string? Node,
    DateTimeOffset? ClaimedAt,
    DateTimeOffset? HeartbeatAt,
    DateTimeOffset? CancelRequestedAt);

/// <summary>Which jobs a list shows; null (or empty) means any.</summary>
public sealed record JobListFilter(
    IReadOnlyList<JobStatus>? Statuses = null,
    string? Kind = null,
    string? Queue = null,
    Guid? OrganizationId = null);
