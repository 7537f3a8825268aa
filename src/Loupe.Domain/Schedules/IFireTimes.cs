namespace Loupe.Domain.Schedules;

/// <summary>
/// When a cron expression fires: the port the schedule rules ask, answered by a cron library in
/// Infrastructure. Expressions have 5 fields (minute hour day-of-month month day-of-week) or 6 with
/// seconds first; when day-of-month and day-of-week are both restricted, a day matching either fires
/// (as in standard cron). Times are wall-clock times of the zone given: a time the clock skips
/// (daylight saving starts) fires once at the moment the clock jumps to, and a time the clock passes
/// twice (daylight saving ends) fires once, at its first pass, unless the expression repeats within
/// the hour (<c>*/15 * * * *</c>), which fires on both passes as the clock shows them.
/// </summary>
public interface IFireTimes
{
    /// <summary>Why the expression is refused (a sentence naming the field), or null when it is a valid expression.</summary>
    string? Problem(string cron);

    /// <summary>
    /// The shortest time between two fire times of a valid expression, counted between its times of day
    /// (and from the last of one day to the first of the next): a 5-field expression is never under a minute.
    /// </summary>
    TimeSpan ShortestInterval(string cron);

    /// <summary>The first fire time strictly after <paramref name="after"/> (in UTC), or null when none is left.</summary>
    DateTimeOffset? NextAfter(string cron, TimeZoneInfo zone, DateTimeOffset after);
}
