using Loupe.Application.Common.Jobs;

namespace Loupe.Application.AdminJobs;

/// <summary>
/// What repeats in the instance (ADR 0071): the system jobs (on every page) and a page of every
/// organization's schedules, in id order.
/// </summary>
/// <param name="NextCursor">Pass as <c>cursor</c> for the next page of schedules; none on the last page.</param>
public sealed record RecurringJobsDto(IReadOnlyList<SystemJobDto> SystemJobs, IReadOnlyList<RecurringScheduleDto> Schedules, string? NextCursor);

/// <summary>A maintenance job the engine's nodes queue on a timer.</summary>
/// <param name="Kind">Its job kind, also its unique key (at most one waits or runs at a time).</param>
/// <param name="Interval">How often each node queues it, as text ("every 15 minutes"); "never" when the instance turned it off.</param>
/// <param name="IntervalSeconds">The same in seconds; none when never.</param>
/// <param name="State">active, paused, or off (its interval is 0 in the configuration).</param>
/// <param name="NextDueAt">
/// When it will be queued next, estimated: while one waits, its due time; otherwise the latest one's
/// queue time plus the interval (now when that has passed, or it never ran). None while paused or off.
/// </param>
/// <param name="LastJobId">The latest job of its kind, whatever its status.</param>
public sealed record SystemJobDto(
    string Kind,
    string Description,
    string Interval,
    long? IntervalSeconds,
    string State,
    DateTimeOffset? PausedAt,
    DateTimeOffset? NextDueAt,
    Guid? LastJobId,
    JobStatus? LastStatus,
    DateTimeOffset? LastEnqueuedAt,
    DateTimeOffset? LastFinishedAt,
    string? LastError);

/// <summary>A schedule of some organization: when it fires and how its last run went (never its parameter values).</summary>
/// <param name="State">active, disabled (stopped by someone), or paused (stopped itself after failures; see paused_reason).</param>
/// <param name="LastRunStatus">The status of the run it started last, as runs name it.</param>
public sealed record RecurringScheduleDto(
    Guid Id,
    Guid OrganizationId,
    string OrganizationName,
    string Name,
    string Cron,
    string Timezone,
    bool Enabled,
    string State,
    string? PausedReason,
    int ConsecutiveFailures,
    DateTimeOffset? NextRunAt,
    Guid? LastRunId,
    string? LastRunStatus,
    DateTimeOffset? LastRunAt)
{
    internal static RecurringScheduleDto From(RecurringScheduleRow row) => new(
        row.Id,
        row.OrganizationId,
        row.OrganizationName,
        row.Name,
        row.Cron,
        row.TimeZone,
        row.Enabled,
        row.Enabled ? "active" : row.PausedReason is null ? "disabled" : "paused",
        row.PausedReason,
        row.ConsecutiveFailures,
        row.NextRunAt,
        row.LastRunId,
        row.LastRunStatus,
        row.LastRunAt);
}

/// <summary>What an action on a recurring job did.</summary>
/// <param name="Target">schedule or system_job.</param>
/// <param name="Id">The schedule's id, or the system job's kind.</param>
/// <param name="Outcome">triggered, paused, resumed, already_paused or already_active.</param>
/// <param name="JobId">The job queued (a system job triggered).</param>
/// <param name="RunId">The run started (a schedule triggered).</param>
public sealed record RecurringJobActionResultDto(string Target, string Id, string Outcome, Guid? JobId = null, Guid? RunId = null);
