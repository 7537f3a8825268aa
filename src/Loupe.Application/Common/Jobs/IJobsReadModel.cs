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

    /// <summary>A job's attempts, first claim first (none when it never started or does not exist).</summary>
    Task<IReadOnlyList<JobAttempt>> AttemptsAsync(Guid jobId, CancellationToken ct);

    /// <summary>The nodes of the engine (API or worker hosts), by name, lost ones included until they are forgotten.</summary>
    Task<IReadOnlyList<EngineNode>> NodesAsync(CancellationToken ct);
}

/// <summary>How an attempt of a job ended.</summary>
public enum JobAttemptOutcome
{
    Succeeded,

    /// <summary>Failed for a reason that will not pass: the job failed.</summary>
    Failed,

    /// <summary>Failed; the job was queued again for another attempt.</summary>
    Retrying,

    /// <summary>Failed on the last attempt: the job was dead-lettered.</summary>
    DeadLettered,

    Cancelled,

    /// <summary>Handed back unfinished by a stopping node; the attempt was not used up.</summary>
    Released,

    /// <summary>Its node stopped renewing the lease (it died or lost the database); a sweep took the job back.</summary>
    LeaseExpired,
}

/// <param name="Claim">The attempt's number among all the job's claims (1, 2, …); unlike <paramref name="Attempt"/> it is never reused.</param>
/// <param name="Attempt">The job's attempt number the claim gave (reset when the job is requeued, given back when it is released).</param>
/// <param name="Outcome">Null while the attempt runs.</param>
public sealed record JobAttempt(
    int Claim,
    int Attempt,
    string Node,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    JobAttemptOutcome? Outcome,
    string? Error);

/// <summary>Which host runs a node of the engine.</summary>
public enum EngineNodeHost
{
    Api,
    Worker,
}

/// <param name="Node">The node's name (<c>Jobs:NodeId</c>), as leases and running jobs name it.</param>
/// <param name="Machine">The machine's name.</param>
/// <param name="Slots">How many jobs it runs at once (<c>Jobs:Concurrency</c>).</param>
/// <param name="SlotsUsed">How many it ran at its last beat.</param>
/// <param name="Queues">The queues it claims from.</param>
/// <param name="Lost">Not heard from for <c>Jobs:NodeLostSeconds</c>: it stopped without leaving, or lost the database.</param>
public sealed record EngineNode(
    string Node,
    EngineNodeHost Host,
    string Machine,
    int ProcessId,
    DateTimeOffset StartedAt,
    DateTimeOffset HeartbeatAt,
    int Slots,
    int SlotsUsed,
    IReadOnlyList<string> Queues,
    bool Lost);

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
