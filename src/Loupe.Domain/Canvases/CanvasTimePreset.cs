using Loupe.Domain.Common;

namespace Loupe.Domain.Canvases;

/// <summary>The time window a canvas shows.</summary>
public enum TimePresetKind
{
    Last15Minutes,
    LastHour,
    Last24Hours,
    Last7Days,
    Last30Days,

    /// <summary>From the first day of the current month, at midnight in the organization's time zone, until now.</summary>
    ThisMonth,

    /// <summary>A fixed window with its own start and end.</summary>
    Custom,
}

/// <summary>A concrete window, start included, end excluded.</summary>
public readonly record struct TimeWindow(DateTimeOffset Start, DateTimeOffset End);

/// <summary>
/// A canvas's time window: one relative to now, or a custom one whose start is before its end.
/// <see cref="Resolve"/> turns it into a concrete <see cref="TimeWindow"/>.
/// </summary>
public sealed record CanvasTimePreset
{
    private CanvasTimePreset(TimePresetKind kind, DateTimeOffset? start, DateTimeOffset? end)
    {
        Kind = kind;
        Start = start;
        End = end;
    }

    public TimePresetKind Kind { get; }

    /// <summary>Set for <see cref="TimePresetKind.Custom"/> only.</summary>
    public DateTimeOffset? Start { get; }

    /// <summary>Set for <see cref="TimePresetKind.Custom"/> only.</summary>
    public DateTimeOffset? End { get; }

    /// <summary>A preset relative to now.</summary>
    public static CanvasTimePreset Relative(TimePresetKind kind) =>
        kind is TimePresetKind.Custom || !Enum.IsDefined(kind)
            ? throw new ArgumentOutOfRangeException(nameof(kind), kind, "A relative preset.")
            : new CanvasTimePreset(kind, null, null);

    /// <summary>A fixed window; its start is before its end.</summary>
    public static CanvasTimePreset Custom(DateTimeOffset start, DateTimeOffset end) =>
        start < end ? new CanvasTimePreset(TimePresetKind.Custom, start, end) : throw new DomainException(CanvasErrors.CustomRangeInvalid);

    /// <summary>
    /// The window at <paramref name="now"/>: relative presets end at now; <c>this_month</c> starts on
    /// the first day of the month at midnight in <paramref name="timeZone"/> (the first instant of that
    /// day where a clock change skips midnight). At the very first instant of a month, when the month so
    /// far is empty, <c>this_month</c> is the whole previous month.
    /// </summary>
    public TimeWindow Resolve(DateTimeOffset now, TimeZoneInfo timeZone)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        return Kind switch
        {
            TimePresetKind.Last15Minutes => new(now.AddMinutes(-15), now),
            TimePresetKind.LastHour => new(now.AddHours(-1), now),
            TimePresetKind.Last24Hours => new(now.AddHours(-24), now),
            TimePresetKind.Last7Days => new(now.AddDays(-7), now),
            TimePresetKind.Last30Days => new(now.AddDays(-30), now),
            TimePresetKind.ThisMonth => ThisMonth(now, timeZone),
            _ => new(Start!.Value, End!.Value),
        };
    }

    private static TimeWindow ThisMonth(DateTimeOffset now, TimeZoneInfo timeZone)
    {
        var local = TimeZoneInfo.ConvertTime(now, timeZone);
        var start = MidnightOfFirstDay(local.Year, local.Month, timeZone);
        if (start >= now)
        {
            var previous = new DateTime(local.Year, local.Month, 1, 0, 0, 0, DateTimeKind.Unspecified).AddMonths(-1);
            start = MidnightOfFirstDay(previous.Year, previous.Month, timeZone);
        }

        return new(start, now);
    }

    /// <summary>The first instant of the month's first day in the zone: midnight, or where a clock change skips midnight, the first local time after it.</summary>
    private static DateTimeOffset MidnightOfFirstDay(int year, int month, TimeZoneInfo timeZone)
    {
        var local = new DateTime(year, month, 1, 0, 0, 0, DateTimeKind.Unspecified);
        while (timeZone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        // An ambiguous midnight (clocks turned back over it) is its first occurrence: the larger offset.
        var offset = timeZone.IsAmbiguousTime(local) ? timeZone.GetAmbiguousTimeOffsets(local).Max() : timeZone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}
