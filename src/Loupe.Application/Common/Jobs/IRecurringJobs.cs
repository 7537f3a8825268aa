namespace Loupe.Application.Common.Jobs;

/// <summary>
/// What repeats in this instance, as the jobs admin API shows and drives it (ADR 0071): the system jobs
/// (maintenance jobs the engine's nodes queue on a timer) and every organization's schedules. Reads go
/// through SQL functions that are not narrowed to the current organization; only instance-admin requests
/// may use this port. A schedule is changed through its aggregate, in its own organization, not here.
/// </summary>
public interface IRecurringJobs
{
    /// <summary>The system jobs this instance queues on a timer, in a fixed order.</summary>
    IReadOnlyList<SystemJobDefinition> SystemJobs { get; }

    /// <summary>The paused system jobs, by kind.</summary>
    Task<IReadOnlyDictionary<string, SystemJobPause>> PausesAsync(CancellationToken ct);

    /// <summary>The latest job of each kind (of no organization), by kind; a kind never queued is left out.</summary>
    Task<IReadOnlyDictionary<string, LatestSystemJob>> LatestAsync(IReadOnlyList<string> kinds, CancellationToken ct);

    /// <summary>Queues the system job now, as its timer would: the job's id; none when its unique key is held by one that waits or runs.</summary>
    Task<Guid?> EnqueueAsync(SystemJobDefinition job, CancellationToken ct);

    /// <summary>Pauses the system job; false when it was paused already.</summary>
    Task<bool> PauseAsync(string kind, Guid? by, CancellationToken ct);

    /// <summary>Resumes the system job; false when it was not paused.</summary>
    Task<bool> ResumeAsync(string kind, CancellationToken ct);

    /// <summary>Up to <paramref name="limit"/> schedules of every organization, not archived, in id order after <paramref name="after"/>.</summary>
    Task<IReadOnlyList<RecurringScheduleRow>> SchedulesAsync(Guid? after, int limit, CancellationToken ct);

    /// <summary>The organization of the schedule (archived or not); none when no schedule has this id.</summary>
    Task<Guid?> ScheduleOrganizationAsync(Guid scheduleId, CancellationToken ct);
}

/// <summary>A system job: its kind (also its unique key), and how often each node queues it; none when this instance never queues it on a timer.</summary>
public sealed record SystemJobDefinition(string Kind, TimeSpan? Interval, string Description);

public sealed record SystemJobPause(DateTimeOffset PausedAt, Guid? PausedBy);

/// <summary>The latest job of a system kind.</summary>
public sealed record LatestSystemJob(Guid Id, JobStatus Status, DateTimeOffset EnqueuedAt, DateTimeOffset RunAt, DateTimeOffset? FinishedAt, string? Error);

/// <summary>A schedule as the instance admin's list shows it (never its parameter values).</summary>
public sealed record RecurringScheduleRow(
    Guid Id,
    Guid OrganizationId,
    string OrganizationName,
    string Name,
    string Cron,
    string TimeZone,
    bool Enabled,
    string? PausedReason,
    int ConsecutiveFailures,
    DateTimeOffset? NextRunAt,
    Guid? LastRunId,
    string? LastRunStatus,
    DateTimeOffset? LastRunAt);
