using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Infrastructure.Schedules;

namespace Loupe.Infrastructure.Tests.Schedules;

/// <summary>
/// Across daylight-saving changes a schedule neither skips nor doubles a run: zones whose changes
/// are an hour (Berlin, New York, London, Santiago, Auckland), half an hour (Lord Howe), at midnight
/// (Havana, São Paulo before 2019, Tehran before 2022) or off a quarter hour (Chatham).
/// </summary>
public sealed class FireTimesPropertyTests
{
    private static readonly CronosFireTimes Times = new();

    private static readonly string[] Zones =
    [
        "Europe/Berlin", "America/Sao_Paulo", "Australia/Lord_Howe", "America/New_York", "Europe/London",
        "America/Havana", "Asia/Tehran", "Pacific/Chatham", "America/Santiago", "Pacific/Auckland",
    ];

    /// <summary>Years in which every zone above still changed its clocks twice.</summary>
    private static readonly Gen<int> Years = Gen.Choose(2010, 2017);

    private static readonly int[] Steps = [1, 5, 10, 15, 30];

    /// <summary>Every clock change of the zones in those years (Santiago kept summer time all through 2015: none that year).</summary>
    private static readonly (TimeZoneInfo Zone, DateTimeOffset Change)[] Changes =
        [.. Zones.Select(TimeZoneInfo.FindSystemTimeZoneById).SelectMany(zone => Enumerable.Range(2010, 8).SelectMany(year => ClockChanges(zone, year).Select(change => (zone, change))))];

    private static readonly Gen<TimeZoneInfo> AnyZone = Gen.Elements(Zones).Select(TimeZoneInfo.FindSystemTimeZoneById);

    [Property(MaxTest = 150)]
    public Property ADailyTime_FiresExactlyOnceOnEveryLocalDate() =>
        Prop.ForAll(
            (from zone in AnyZone
             from year in Years
             from day in Gen.Choose(0, 364)
             from hour in Gen.Choose(0, 23)
             from minute in Gen.Choose(0, 59)
             select (zone, start: new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(day), hour, minute)).ToArbitrary(),
            c =>
            {
                var cron = $"{c.minute} {c.hour} * * *";
                var firstDate = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(c.start, c.zone).DateTime).AddDays(1);
                var lastDate = firstDate.AddDays(365);
                var perDate = new Dictionary<DateOnly, int>();
                var time = c.start;
                while (true)
                {
                    time = Times.NextAfter(cron, c.zone, time)!.Value;
                    var date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time, c.zone).DateTime);
                    if (date > lastDate)
                    {
                        break;
                    }

                    perDate[date] = perDate.GetValueOrDefault(date) + 1;
                }

                for (var date = firstDate; date <= lastDate; date = date.AddDays(1))
                {
                    if (perDate.GetValueOrDefault(date) != 1)
                    {
                        return false.Label($"{cron} in {c.zone.Id} fired {perDate.GetValueOrDefault(date)} times on {date}");
                    }
                }

                return true.ToProperty();
            });

    /// <summary>
    /// Every N minutes, where the clock change itself falls on the N-minute grid (Chatham's changes at
    /// 02:45 are off the grid of 10 and 30: there the times the clock skips fire once, when it jumps).
    /// </summary>
    [Property(MaxTest = 100)]
    public Property EveryNMinutes_FiresExactlyNMinutesApart_ThroughAClockChange() =>
        Prop.ForAll(
            (from pair in Gen.Elements(Changes)
             from step in Gen.Elements(Steps.Where(step => OnTheGrid(pair.Zone, pair.Change, step)).ToArray())
             select (zone: pair.Zone, change: pair.Change, step)).ToArbitrary(),
            c =>
            {
                var cron = c.step == 1 ? "* * * * *" : $"*/{c.step} * * * *";
                var time = Times.NextAfter(cron, c.zone, c.change.AddHours(-3))!.Value;
                while (time < c.change.AddHours(3))
                {
                    var next = Times.NextAfter(cron, c.zone, time)!.Value;
                    if (next - time != TimeSpan.FromMinutes(c.step))
                    {
                        return false.Label($"{cron} in {c.zone.Id}: {time:O} then {next:O} around the change at {c.change:O}");
                    }

                    time = next;
                }

                return true.ToProperty();
            });

    [Property(MaxTest = 200)]
    public Property NextTimes_StrictlyIncrease() =>
        Prop.ForAll(
            (from zone in AnyZone
             from cron in Gen.Elements(
                 "0 * * * *", "30 2 * * *", "15,45 1-3 * * *", "0 0 * * *", "*/7 * * * *", "0 9 * * MON-FRI", "0 0 1,15 * *",
                 "0 12 13 * FRI", "0 30 2 * * *", "45 23 L * *", "0 2 * 3,10 SUN", "20 0,1,2,3 * * *")
             from year in Years
             from hours in Gen.Choose(0, 365 * 24)
             select (zone, cron, start: new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero).AddHours(hours))).ToArbitrary(),
            c =>
            {
                var time = c.start;
                for (var i = 0; i < 400; i++)
                {
                    var next = Times.NextAfter(c.cron, c.zone, time)!.Value;
                    if (next <= time)
                    {
                        return false.Label($"{c.cron} in {c.zone.Id}: {next:O} after {time:O}");
                    }

                    time = next;
                }

                return true.ToProperty();
            });

    private static bool OnTheGrid(TimeZoneInfo zone, DateTimeOffset change, int step)
    {
        var before = TimeZoneInfo.ConvertTime(change.AddTicks(-1), zone).AddTicks(1);
        var shift = (zone.GetUtcOffset(change) - zone.GetUtcOffset(change.AddTicks(-1))).Duration();
        return before.Minute % step == 0 && (int)shift.TotalMinutes % step == 0;
    }

    /// <summary>The instants of <paramref name="year"/> at which the zone's offset from UTC changes, to the half hour.</summary>
    private static DateTimeOffset[] ClockChanges(TimeZoneInfo zone, int year)
    {
        var changes = new List<DateTimeOffset>();
        var time = new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var offset = zone.GetUtcOffset(time);
        for (; time.Year == year; time = time.AddMinutes(30))
        {
            var now = zone.GetUtcOffset(time);
            if (now != offset)
            {
                changes.Add(time);
                offset = now;
            }
        }

        return [.. changes];
    }
}
