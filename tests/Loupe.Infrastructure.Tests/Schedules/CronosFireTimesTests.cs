using Loupe.Domain.Common;
using Loupe.Domain.Schedules;
using Loupe.Infrastructure.Schedules;

namespace Loupe.Infrastructure.Tests.Schedules;

public sealed class CronosFireTimesTests
{
    private static readonly CronosFireTimes Times = new();
    private static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;

    private static DateTimeOffset At(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) =>
        new(year, month, day, hour, minute, second, TimeSpan.Zero);

    [Theory]
    [InlineData("*/5 * * * *")]
    [InlineData("0 9 * * 1-5")]
    [InlineData("30 0 9 * * MON")]
    [InlineData("0 0 L * *")]
    [InlineData("@daily")]
    public void ValidExpressions_HaveNoProblem(string cron) => Times.Problem(cron).ShouldBeNull();

    [Theory]
    [InlineData("* * * *", "5 fields")]
    [InlineData("* * * * * * *", "this one has 7")]
    [InlineData("61 * * * *", "")]
    [InlineData("* * * * FRIDAY", "")]
    [InlineData("@fortnightly", "not a cron macro")]
    public void InvalidExpressions_SayWhy(string cron, string part)
    {
        var problem = Times.Problem(cron);
        problem.ShouldNotBeNull();
        problem.ShouldNotBeEmpty();
        problem.ShouldContain(part);
    }

    [Fact]
    public void SixFields_ReadSecondsFirst()
    {
        Times.NextAfter("30 15 10 * * *", Utc, At(2026, 12, 7, 10, 0)).ShouldBe(At(2026, 12, 7, 10, 15, 30));
        Times.NextAfter("15 10 * * *", Utc, At(2026, 12, 7, 10, 0)).ShouldBe(At(2026, 12, 7, 10, 15));
    }

    [Fact]
    public void BothDayFieldsRestricted_EitherMatches()
    {
        // Fridays, and the 13th of each month: Monday 7 December 2026 → Friday 11th → Sunday 13th → Friday 18th.
        const string cron = "0 12 13 * FRI";
        var first = Times.NextAfter(cron, Utc, At(2026, 12, 7)).ShouldNotBeNull();
        first.ShouldBe(At(2026, 12, 11, 12));
        var second = Times.NextAfter(cron, Utc, first).ShouldNotBeNull();
        second.ShouldBe(At(2026, 12, 13, 12));
        Times.NextAfter(cron, Utc, second).ShouldBe(At(2026, 12, 18, 12));
    }

    [Fact]
    public void OneDayFieldRestricted_OnlyItCounts()
    {
        Times.NextAfter("0 12 13 * *", Utc, At(2026, 12, 7)).ShouldBe(At(2026, 12, 13, 12));
        Times.NextAfter("0 12 * * FRI", Utc, At(2026, 12, 7)).ShouldBe(At(2026, 12, 11, 12));
    }

    [Theory]
    [InlineData("* * * * *", 60)]
    [InlineData("*/15 * * * *", 15 * 60)]
    [InlineData("0 9,17 * * *", 8 * 3600)]
    [InlineData("0 1,23 * * *", 2 * 3600)]
    [InlineData("* * * * * *", 1)]
    [InlineData("*/20 * * * * *", 20)]
    [InlineData("0 * * * * *", 60)]
    [InlineData("@hourly", 3600)]
    [InlineData("@every_second", 1)]
    public void ShortestInterval_IsTheClosestTwoTimesCome(string cron, int seconds) =>
        Times.ShortestInterval(cron).ShouldBe(TimeSpan.FromSeconds(seconds));

    [Fact]
    public void ASixFieldExpressionFiringMoreThanOnceAMinute_IsRefusedByTheRules()
    {
        var error = Should.Throw<DomainException>(() => Schedule.CheckCron("*/10 * * * * *", Times, ScheduleRules.Default)).Error;
        error.Code.ShouldBe("schedule.cron_too_frequent");
        error.Field.ShouldBe("cron");
        Schedule.CheckCron("0 */1 * * * *", Times, ScheduleRules.Default).ShouldBe("0 */1 * * * *");
        Should.Throw<DomainException>(() => Schedule.CheckCron("*/2 * * * *", Times, ScheduleRules.Default with { MinimumInterval = TimeSpan.FromMinutes(5) }))
            .Error.Code.ShouldBe("schedule.cron_too_frequent");
    }

    [Fact]
    public void AnExpressionWithNoDate_IsRefused() =>
        Should.Throw<DomainException>(() => Schedule.CheckCron("0 0 30 2 *", Times, ScheduleRules.Default)).Error.Code.ShouldBe("schedule.cron_never_fires");

    [Fact]
    public void SpringForward_ASkippedTimeFiresWhenTheClockJumps_AndFallBack_ARepeatedTimeFiresOnce()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

        // 29 March 2026: 02:00 CET jumps to 03:00 CEST; 02:30 does not happen that day.
        Times.NextAfter("30 2 * * *", berlin, At(2026, 3, 28, 12)).ShouldBe(At(2026, 3, 29, 1, 0));

        // 25 October 2026: 03:00 CEST falls back to 02:00 CET; 02:30 happens twice, the schedule fires at the first.
        var first = Times.NextAfter("30 2 * * *", berlin, At(2026, 10, 24, 12)).ShouldNotBeNull();
        first.ShouldBe(At(2026, 10, 25, 0, 30));
        Times.NextAfter("30 2 * * *", berlin, first).ShouldBe(At(2026, 10, 26, 1, 30));
    }
}
