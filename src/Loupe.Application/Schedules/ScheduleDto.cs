using System.Text.Json;
using Loupe.Application.Common;
using Loupe.Application.SavedQueries;
using Loupe.Domain.Runs;
using Loupe.Domain.Schedules;

namespace Loupe.Application.Schedules;

/// <summary>
/// A schedule as answered. <c>parameters</c> are the values it runs its query with (a parameter left
/// out takes its default); <c>timezone</c> the IANA zone its <c>cron</c> is read in. Read-only:
/// <c>next_run_at</c> (null while disabled or archived), <c>last_run</c> (the run it started last:
/// id, status, when), <c>consecutive_failures</c>, <c>last_error</c> and <c>paused_reason</c> (set when
/// it paused itself after too many failures in a row; enabling it clears it). <c>status</c> is
/// <c>active</c> or <c>archived</c>, as every item's.
/// </summary>
public sealed record ScheduleDto(
    Guid Id,
    Guid QueryId,
    string Name,
    IReadOnlyDictionary<string, JsonElement?> Parameters,
    string Cron,
    string Timezone,
    bool Enabled,
    IReadOnlyList<string> Tags,
    DateTimeOffset? NextRunAt,
    ScheduleLastRunDto? LastRun,
    int ConsecutiveFailures,
    string? LastError,
    string? PausedReason,
    string Status,
    Guid? OwnerId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ArchivedAt)
{
    internal static ScheduleDto From(Schedule schedule) => new(
        schedule.Id,
        schedule.QueryId,
        schedule.Name,
        schedule.Parameters.OrderBy(pair => pair.Key, StringComparer.Ordinal).ToDictionary(pair => pair.Key, pair => ParameterJson.ToJson(pair.Value), StringComparer.Ordinal),
        schedule.Cron,
        schedule.TimeZone,
        schedule.Enabled,
        schedule.Tags,
        schedule.NextRunAt,
        schedule is { LastRunId: { } runId, LastRunStatus: { } status, LastRunAt: { } at } ? new ScheduleLastRunDto(runId, status.ToName(), at) : null,
        schedule.ConsecutiveFailures,
        schedule.LastError,
        schedule.PausedReason,
        ItemStatuses.Of(schedule.ArchivedAt),
        schedule.OwnerId,
        schedule.CreatedAt,
        schedule.UpdatedAt,
        schedule.ArchivedAt);
}

/// <summary>The run a schedule started last: its id, its status now (as far as the schedule has seen), when it was queued.</summary>
public sealed record ScheduleLastRunDto(Guid Id, string Status, DateTimeOffset At);
