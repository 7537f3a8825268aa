using Loupe.Domain.Schedules;

namespace Loupe.Application.Schedules;

/// <summary>
/// The payloads of <c>schedule.run_failed</c> and <c>schedule.paused</c>: ids and a summary only (the
/// run's status and error code, never its message, SQL or parameter values).
/// </summary>
internal static class ScheduleEvents
{
    /// <summary>A failed run of a schedule, or a firing that could not queue its run (<c>run_id</c> null, <c>status</c> <c>not_queued</c>).</summary>
    public sealed record RunFailed(
        Guid ScheduleId, string ScheduleName, Guid QueryId, Guid? RunId, string Status, string? ErrorCode, int ConsecutiveFailures, DateTimeOffset FailedAt);

    /// <summary>A schedule that paused itself after too many failures in a row.</summary>
    public sealed record Paused(Guid ScheduleId, string ScheduleName, Guid QueryId, int ConsecutiveFailures, DateTimeOffset PausedAt);

    public static Paused PausedOf(Schedule schedule, DateTimeOffset at) =>
        new(schedule.Id, schedule.Name, schedule.QueryId, schedule.ConsecutiveFailures, at);
}
