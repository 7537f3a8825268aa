using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Domain.Canvases;
using Loupe.Domain.Common;

namespace Loupe.Domain.Tests.Canvases;

public sealed class CanvasTimePresetTests
{
    // Zones with whole, half and quarter-hour offsets, both hemispheres' clock changes, and one (Santiago)
    // whose clocks have skipped midnight.
    private static readonly string[] Zones =
        ["UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Lord_Howe", "Pacific/Chatham", "America/Santiago", "Pacific/Kiritimati"];

    private static readonly TimePresetKind[] Relative =
        [TimePresetKind.Last15Minutes, TimePresetKind.LastHour, TimePresetKind.Last24Hours, TimePresetKind.Last7Days, TimePresetKind.Last30Days, TimePresetKind.ThisMonth];

    // Instants from 1990 to 2060, to the second.
    private static readonly Gen<DateTimeOffset> Instants =
        Gen.Choose(0, 70 * 366).SelectMany(day => Gen.Choose(0, 86_399).Select(second =>
            new DateTimeOffset(1990, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(day).AddSeconds(second)));

    /// <summary>Instants that are exactly the first of a month at midnight somewhere: the edge of <c>this_month</c>.</summary>
    private static readonly Gen<DateTimeOffset> MonthStarts =
        Gen.Choose(1990, 2060).SelectMany(year => Gen.Choose(1, 12).SelectMany(month => Gen.Elements(Zones).Select(zone =>
        {
            var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
            var local = new DateTime(year, month, 1, 0, 0, 0, DateTimeKind.Unspecified);
            return tz.IsInvalidTime(local) ? new DateTimeOffset(local, TimeSpan.Zero) : new DateTimeOffset(local, tz.GetUtcOffset(local));
        })));

    [Property]
    public Property RelativePresets_StartBeforeTheyEnd_AndEndNoLaterThanNow() =>
        Prop.ForAll(Gen.OneOf(Instants, MonthStarts).ToArbitrary(), Gen.Elements(Relative).ToArbitrary(), Gen.Elements(Zones).ToArbitrary(), (now, kind, zone) =>
        {
            var window = CanvasTimePreset.Relative(kind).Resolve(now, TimeZoneInfo.FindSystemTimeZoneById(zone));

            window.Start.ShouldBeLessThan(window.End);
            window.End.ShouldBeLessThanOrEqualTo(now);
        });

    [Property]
    public Property ThisMonth_StartsOnTheFirstAtMidnightLocal() =>
        Prop.ForAll(Gen.OneOf(Instants, MonthStarts).ToArbitrary(), Gen.Elements(Zones).ToArbitrary(), (now, zone) =>
        {
            var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);

            var window = CanvasTimePreset.Relative(TimePresetKind.ThisMonth).Resolve(now, tz);

            var localStart = TimeZoneInfo.ConvertTime(window.Start, tz);
            localStart.Day.ShouldBe(1);
            var midnight = localStart.Date;
            (localStart.TimeOfDay == TimeSpan.Zero || tz.IsInvalidTime(midnight)).ShouldBeTrue($"{localStart:O} in {zone}");
            // The month it starts is the current one, or the previous one when now is that month's very first instant.
            var localNow = TimeZoneInfo.ConvertTime(now, tz);
            var sameMonth = localStart.Year == localNow.Year && localStart.Month == localNow.Month;
            (sameMonth || localStart.AddMonths(1).Date == localNow.Date).ShouldBeTrue($"{localStart:O} for {localNow:O} in {zone}");
        });

    [Fact]
    public void ThisMonth_UsesTheOrganizationsTimeZone()
    {
        // 23:30 UTC on 31 October is already 1 November in Paris.
        var now = new DateTimeOffset(2026, 10, 31, 23, 30, 0, TimeSpan.Zero);
        var paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

        var preset = CanvasTimePreset.Relative(TimePresetKind.ThisMonth);

        preset.Resolve(now, paris).ShouldBe(new TimeWindow(new DateTimeOffset(2026, 10, 31, 23, 0, 0, TimeSpan.Zero), now));
        preset.Resolve(now, TimeZoneInfo.Utc).ShouldBe(new TimeWindow(new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero), now));
    }

    [Fact]
    public void ThisMonth_AtTheMonthsFirstInstant_IsThePreviousMonth()
    {
        var now = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

        var window = CanvasTimePreset.Relative(TimePresetKind.ThisMonth).Resolve(now, TimeZoneInfo.Utc);

        window.ShouldBe(new TimeWindow(new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero), now));
    }

    [Theory]
    [InlineData(TimePresetKind.Last15Minutes, 15)]
    [InlineData(TimePresetKind.LastHour, 60)]
    [InlineData(TimePresetKind.Last24Hours, 24 * 60)]
    [InlineData(TimePresetKind.Last7Days, 7 * 24 * 60)]
    [InlineData(TimePresetKind.Last30Days, 30 * 24 * 60)]
    public void LastPresets_EndNow_AndReachBackTheirLength(TimePresetKind kind, int minutes)
    {
        var now = new DateTimeOffset(2026, 12, 7, 9, 15, 0, TimeSpan.Zero);

        var window = CanvasTimePreset.Relative(kind).Resolve(now, TimeZoneInfo.Utc);

        window.ShouldBe(new TimeWindow(now.AddMinutes(-minutes), now));
    }

    [Fact]
    public void Custom_ResolvesToItself_WhateverNow()
    {
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var end = new DateTimeOffset(2025, 2, 1, 0, 0, 0, TimeSpan.Zero);

        var window = CanvasTimePreset.Custom(start, end).Resolve(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), TimeZoneInfo.Utc);

        window.ShouldBe(new TimeWindow(start, end));
    }

    [Fact]
    public void Custom_RefusesAStartNotBeforeTheEnd()
    {
        var instant = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

        Should.Throw<DomainException>(() => CanvasTimePreset.Custom(instant, instant)).Error.ShouldBe(CanvasErrors.CustomRangeInvalid);
        Should.Throw<DomainException>(() => CanvasTimePreset.Custom(instant, instant.AddTicks(-1))).Error.ShouldBe(CanvasErrors.CustomRangeInvalid);
    }

    [Fact]
    public void Relative_RefusesCustom() =>
        Should.Throw<ArgumentOutOfRangeException>(() => CanvasTimePreset.Relative(TimePresetKind.Custom));
}
