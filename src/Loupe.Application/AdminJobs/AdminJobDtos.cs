using Loupe.Application.Common.Jobs;

namespace Loupe.Application.AdminJobs;

/// <summary>The jobs overview: what the dashboard's first page and its realtime graph show.</summary>
/// <param name="Counts">Jobs per status, every status present (zero when none).</param>
/// <param name="Queues">Due queued jobs per queue and priority.</param>
/// <param name="OldestQueuedAgeSeconds">How long the oldest due queued job has waited; none when nothing waits.</param>
/// <param name="LastMinute">Finished jobs per second over the last minute (60 buckets, oldest first).</param>
/// <param name="Last24Hours">Finished jobs per hour over the last 24 hours (24 buckets).</param>
/// <param name="Last7Days">Finished jobs per day over the last 7 days (7 buckets).</param>
/// <param name="Running">The running jobs (at most <c>running_limit</c>, newest first), each with its node, lease expiry and heartbeat age.</param>
/// <param name="LatestFailures">The latest failed and dead-lettered jobs (at most 20), last finished first.</param>
public sealed record JobsOverviewDto(
    DateTimeOffset At,
    IReadOnlyDictionary<string, long> Counts,
    IReadOnlyList<QueueDepthDto> Queues,
    double? OldestQueuedAgeSeconds,
    IReadOnlyList<ThroughputDto> LastMinute,
    IReadOnlyList<ThroughputDto> Last24Hours,
    IReadOnlyList<ThroughputDto> Last7Days,
    IReadOnlyList<AdminJobDto> Running,
    IReadOnlyList<AdminJobDto> LatestFailures);

public sealed record QueueDepthDto(string Queue, JobPriority Priority, long Depth, DateTimeOffset OldestRunAt);

/// <param name="Failed">Failed and dead-lettered.</param>
public sealed record ThroughputDto(DateTimeOffset Start, long Succeeded, long Failed);

/// <summary>One job in a list: never its payload.</summary>
/// <param name="Node">The node holding it, while it runs.</param>
/// <param name="HeartbeatAgeSeconds">Since the node last renewed its lease, while it runs.</param>
/// <param name="RunAt">When it is due (for scheduled and retrying jobs, when it will run).</param>
public sealed record AdminJobDto(
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
    string? Error,
    string? Node,
    DateTimeOffset? ClaimedAt,
    DateTimeOffset? LeaseExpiresAt,
    DateTimeOffset? HeartbeatAt,
    double? HeartbeatAgeSeconds,
    DateTimeOffset? CancelRequestedAt)
{
    internal static AdminJobDto From(AdminJobRow row, DateTimeOffset now)
    {
        var s = row.Summary;
        var running = s.Status == JobStatus.Running;
        return new AdminJobDto(
            s.Id, s.Kind, s.Queue, s.Priority, s.OrganizationId, s.Status, s.Attempt, s.MaxAttempts, s.RunAt, s.EnqueuedAt, s.StartedAt, s.FinishedAt, s.Error,
            running ? row.Node : null,
            running ? row.ClaimedAt : null,
            running ? row.LeaseExpiresAt : null,
            running ? row.HeartbeatAt : null,
            running && row.HeartbeatAt is { } beat ? Math.Max(0, (now - beat).TotalSeconds) : null,
            row.CancelRequestedAt);
    }
}

/// <summary>A page of jobs, newest first.</summary>
/// <param name="NextCursor">Pass as <c>cursor</c> for the next page; none on the last page.</param>
public sealed record AdminJobPageDto(IReadOnlyList<AdminJobDto> Data, string? NextCursor);

/// <summary>One job: its row, what it serves, and the payload fields its kind allows to be shown.</summary>
/// <param name="Serves">The resource the job works for, derived from its kind and payload; none when unknown.</param>
/// <param name="Payload">Only the allow-listed fields of its kind (ids and counters); empty for other kinds.</param>
/// <param name="Timeline">What happened to it and when, oldest first, as far as the job's row records it.</param>
/// <param name="Attempts">Every claim of the job by a node, first claim first (none before it first started).</param>
public sealed record AdminJobDetailDto(
    AdminJobDto Job,
    JobTargetDto? Serves,
    IReadOnlyDictionary<string, string> Payload,
    IReadOnlyList<JobTimelineEntryDto> Timeline,
    IReadOnlyList<JobAttemptDto> Attempts);

/// <summary>One claim of a job by a node, and how it ended.</summary>
/// <param name="Claim">The claim's number among all the job's claims (1, 2, …), never reused.</param>
/// <param name="Attempt">The job's attempt number the claim gave (it starts again at 1 after a retry, and a released claim gives its number back).</param>
/// <param name="Outcome">succeeded, failed, retrying, dead_lettered, cancelled, released or lease_expired; none while the attempt runs.</param>
/// <param name="Error">The attempt's error, when it failed.</param>
public sealed record JobAttemptDto(
    int Claim,
    int Attempt,
    string Node,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    JobAttemptOutcome? Outcome,
    string? Error)
{
    internal static JobAttemptDto From(JobAttempt attempt) =>
        new(attempt.Claim, attempt.Attempt, attempt.Node, attempt.StartedAt, attempt.EndedAt, attempt.Outcome, attempt.Error);
}

/// <param name="Href">The API address of the resource (in its organization), when it has one.</param>
public sealed record JobTargetDto(JobTargetType Type, Guid Id, string? Href);

/// <summary>What kind of resource a job works for.</summary>
public enum JobTargetType
{
    Run,
    WebhookDelivery,
    WebhookEvent,
}

/// <param name="Event">enqueued, started, claimed, cancel_requested, finished or due.</param>
public sealed record JobTimelineEntryDto(string Event, DateTimeOffset At, string? Detail);

/// <summary>What an action did to one job.</summary>
/// <param name="Outcome">retried, cancelled, cancellation_requested or deleted; for a selection also not_found, not_retryable or duplicate.</param>
public sealed record JobActionResultDto(Guid Id, string Outcome);
