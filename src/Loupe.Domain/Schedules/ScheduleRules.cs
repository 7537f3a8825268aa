namespace Loupe.Domain.Schedules;

/// <summary>
/// The installation's limits on schedules: the shortest interval a cron expression may fire at, and
/// after how many failed runs in a row a schedule pauses itself.
/// </summary>
public sealed record ScheduleRules(TimeSpan MinimumInterval, int PauseAfterFailures)
{
    public static readonly ScheduleRules Default = new(TimeSpan.FromMinutes(1), 10);
}
