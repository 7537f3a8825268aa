using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Domain.Common;
using Loupe.Domain.DataSources;
using Loupe.Domain.Queries;
using Loupe.Domain.Queries.Parameters;
using Loupe.Domain.Runs;
using Loupe.Domain.Schedules;
using Loupe.Infrastructure.Schedules;

namespace Loupe.Infrastructure.Tests.Schedules;

public sealed class ScheduleTests
{
    private static readonly CronosFireTimes Times = new();
    private static readonly Guid Organization = Guid.CreateVersion7();
    private static readonly Guid Owner = Guid.CreateVersion7();
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private static readonly ScheduleRules Rules = ScheduleRules.Default with { PauseAfterFailures = 3 };

    private static SavedQuery Query(string sql = "SELECT 1 AS amount", IReadOnlyList<ParameterDefinition>? parameters = null)
    {
        var source = DataSource.Create(
            Guid.CreateVersion7(), Organization, "Warehouse", ConnectionSettings.Postgresql("db", 5432, "dw", "reader"), null, DataSourceLimits.Default, Now);
        return SavedQuery.Create(Guid.CreateVersion7(), Organization, Owner, "Sales", null, sql, parameters ?? [], null, source, null, Now);
    }

    private static Schedule New(
        string cron = "0 * * * *", string zone = "Europe/Berlin", bool enabled = true, SavedQuery? query = null, IReadOnlyDictionary<string, ParameterValue>? values = null) =>
        Schedule.Create(Guid.CreateVersion7(), query ?? Query(), Owner, " Hourly ", values, cron, zone, enabled, ["Ops", " ops "], Times, Rules, Now);

    [Fact]
    public void Create_TakesTheQuerysOrganization_AndItsFirstTimeAfterNow()
    {
        var schedule = New("0 12 * * *");

        schedule.OrganizationId.ShouldBe(Organization);
        schedule.Name.ShouldBe("Hourly");
        schedule.Tags.ShouldBe(["ops"]);
        schedule.Enabled.ShouldBeTrue();
        schedule.NextRunAt.ShouldBe(new DateTimeOffset(2026, 12, 7, 11, 0, 0, TimeSpan.Zero)); // noon in Berlin, UTC+1 in December
    }

    [Fact]
    public void ADisabledSchedule_HasNoNextTime_UntilEnabled()
    {
        var schedule = New(enabled: false);
        schedule.NextRunAt.ShouldBeNull();
        schedule.IsDue(Now.AddYears(1)).ShouldBeFalse();

        schedule.Enable(Times, Now);
        schedule.NextRunAt.ShouldBe(Now.AddHours(1));
    }

    [Theory]
    [InlineData("Mars/Olympus")]
    [InlineData("")]
    [InlineData("Pacific Standard Time")]
    public void AnUnknownZone_IsRefusedAtItsField(string zone)
    {
        var error = Should.Throw<DomainException>(() => New(zone: zone)).Error;
        error.Code.ShouldBe("schedule.timezone_unknown");
        error.Field.ShouldBe("timezone");
    }

    [Fact]
    public void AnInvalidExpression_IsRefusedAtItsFieldWithTheReason()
    {
        var error = Should.Throw<DomainException>(() => New(cron: "0 25 * * *")).Error;
        error.Code.ShouldBe("schedule.cron_invalid");
        error.Field.ShouldBe("cron");
        error.Message.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Values_AreCheckedAgainstTheQuerysParameters()
    {
        var query = Query("SELECT {{ region }} AS region", [ParameterDefinition.Create("region", ParameterType.Text)]);

        Should.Throw<DomainException>(() => New(query: query)).Error.Field.ShouldBe("parameters.region");
        Should.Throw<DomainException>(() => New(query: query, values: new Dictionary<string, ParameterValue>
        {
            ["region"] = ParameterValue.OfText("eu"),
            ["other"] = ParameterValue.OfText("x"),
        })).Error.Field.ShouldBe("parameters.other");
        New(query: query, values: new Dictionary<string, ParameterValue> { ["region"] = ParameterValue.OfText("eu") }).Parameters.Keys.ShouldBe(["region"]);
    }

    [Fact]
    public void AnArchivedQuery_CannotBeScheduled()
    {
        var query = Query();
        query.Archive(Now);
        Should.Throw<DomainException>(() => New(query: query)).Error.Code.ShouldBe("schedule.query_archived");
    }

    [Fact]
    public void Failures_AreCounted_AndTheNthInARowPausesIt_WhileASuccessEndsTheCount()
    {
        var schedule = New();
        schedule.RecordRunFinished(Guid.CreateVersion7(), RunStatus.Failed, "relation \"x\" does not exist", Rules, Now).ShouldBe(Schedule.RunOutcome.Failed);
        schedule.RecordRunFinished(Guid.CreateVersion7(), RunStatus.Succeeded, null, Rules, Now).ShouldBe(Schedule.RunOutcome.Succeeded);
        schedule.ConsecutiveFailures.ShouldBe(0);
        schedule.LastError.ShouldBe("relation \"x\" does not exist");

        schedule.RecordRunFinished(Guid.CreateVersion7(), RunStatus.Failed, "one", Rules, Now).ShouldBe(Schedule.RunOutcome.Failed);
        schedule.RecordRunFinished(Guid.CreateVersion7(), RunStatus.TimedOut, null, Rules, Now).ShouldBe(Schedule.RunOutcome.Failed);
        schedule.LastError.ShouldBe("The run ended timed_out.");
        schedule.RecordRunFinished(Guid.CreateVersion7(), RunStatus.Failed, "three", Rules, Now).ShouldBe(Schedule.RunOutcome.Paused);

        schedule.Enabled.ShouldBeFalse();
        schedule.NextRunAt.ShouldBeNull();
        schedule.ConsecutiveFailures.ShouldBe(3);
        schedule.PausedReason.ShouldNotBeNull().ShouldContain("3 failed runs in a row");

        // A failure of a paused schedule is still counted, but pauses nothing again.
        schedule.RecordRunFinished(Guid.CreateVersion7(), RunStatus.Failed, "four", Rules, Now).ShouldBe(Schedule.RunOutcome.Failed);

        schedule.Enable(Times, Now);
        schedule.ConsecutiveFailures.ShouldBe(0);
        schedule.PausedReason.ShouldBeNull();
        schedule.NextRunAt.ShouldNotBeNull();
    }

    [Fact]
    public void TheLastRunsStatus_FollowsOnlyTheLastRun()
    {
        var schedule = New();
        var older = Guid.CreateVersion7();
        var latest = Guid.CreateVersion7();
        schedule.RecordRunStarted(older, Now);
        schedule.RecordRunStarted(latest, Now.AddMinutes(1));

        schedule.RecordRunFinished(older, RunStatus.Failed, "x", Rules, Now);
        schedule.LastRunStatus.ShouldBe(RunStatus.Queued);
        schedule.RecordRunFinished(latest, RunStatus.Succeeded, null, Rules, Now);
        schedule.LastRunStatus.ShouldBe(RunStatus.Succeeded);
        schedule.LastRunId.ShouldBe(latest);
    }

    [Fact]
    public void Archiving_StopsIt_AndRestoringStartsItFromNow()
    {
        var schedule = New();
        schedule.Archive(Now).ShouldBeTrue();
        schedule.IsDue(Now.AddDays(1)).ShouldBeFalse();
        schedule.NextRunAt.ShouldBeNull();
        Should.Throw<DomainException>(() => schedule.Rename("x", Now)).Error.Code.ShouldBe("schedule.archived");

        schedule.Restore(Times, Now.AddDays(1)).ShouldBeTrue();
        schedule.NextRunAt.ShouldBe(Now.AddDays(1).AddHours(1));
    }

    [Fact]
    public void Rescheduling_ComputesTheNextTimeAnew()
    {
        var schedule = New();
        schedule.Reschedule("0 6 * * *", "America/New_York", Times, Rules, Now);
        schedule.NextRunAt.ShouldBe(new DateTimeOffset(2026, 12, 7, 11, 0, 0, TimeSpan.Zero));
    }

    /// <summary>
    /// However long the downtime, the first tick after it fires once for everything missed, and
    /// then the next time is in the future: a second tick at the same moment fires nothing.
    /// </summary>
    [Property(MaxTest = 200)]
    public Property AfterDowntime_OneCatchUpRun_ThenTheNextTimeIsAhead() =>
        Prop.ForAll(
            (from cron in Gen.Elements("* * * * *", "*/5 * * * *", "0 * * * *", "30 2 * * *", "0 9 * * MON-FRI", "0 0 1 * *", "0 12 13 * FRI")
             from zone in Gen.Elements("Europe/Berlin", "America/Sao_Paulo", "Australia/Lord_Howe", "UTC")
             from downtimeSeconds in Gen.Choose(0, 60 * 24 * 3600)
             select (cron, zone, downtime: TimeSpan.FromSeconds(downtimeSeconds))).ToArbitrary(),
            c =>
            {
                var schedule = New(c.cron, c.zone);
                var due = schedule.NextRunAt!.Value;
                var now = due + c.downtime;

                var fired = 0;
                while (schedule.IsDue(now))
                {
                    schedule.Fire(Times, now).ShouldBe(due);
                    fired++;
                }

                return (fired == 1 && schedule.NextRunAt > now).Label($"fired {fired}, next {schedule.NextRunAt:O}, now {now:O}");
            });

    private enum Step
    {
        Archive,
        Restore,
        Enable,
        Disable,
    }

    /// <summary>
    /// The rule the schedule keeps itself, over any sequence of archives, restores, enables and
    /// disables at any times: archived, it has no next time (and is never due); restored, an enabled
    /// one fires next at its first time after the restore (nothing archived through is caught up), a
    /// disabled one has none; a repeated archive or restore changes nothing.
    /// </summary>
    [Property(MaxTest = 300)]
    public Property ArchivedHasNoNextTime_RestoringComputesItFromTheRestoresTime() =>
        Prop.ForAll(
            (from cron in Gen.Elements("* * * * *", "*/5 * * * *", "0 * * * *", "30 2 * * *", "0 9 * * MON-FRI", "0 12 13 * FRI")
             from zone in Gen.Elements("Europe/Berlin", "America/Sao_Paulo", "Australia/Lord_Howe", "UTC")
             from enabled in Gen.Elements(true, false)
             from steps in Gen.Elements(Step.Archive, Step.Restore, Step.Enable, Step.Disable)
                 .SelectMany(step => Gen.Choose(-100_000, 100_000).Select(minutes => (step, at: Now.AddMinutes(minutes))))
                 .ArrayOf()
             select (cron, zone, enabled, steps)).ToArbitrary(),
            c =>
            {
                var schedule = New(c.cron, c.zone, c.enabled);
                var expected = schedule.NextRunAt;
                foreach (var (step, at) in c.steps)
                {
                    var (wasArchived, wasEnabled) = (schedule.IsArchived, schedule.Enabled);
                    switch (step)
                    {
                        case Step.Archive:
                            schedule.Archive(at).ShouldBe(!wasArchived);
                            expected = null;
                            break;
                        case Step.Restore:
                            schedule.Restore(Times, at).ShouldBe(wasArchived);
                            expected = !wasArchived ? expected : wasEnabled ? Times.NextAfter(c.cron, schedule.Zone, at) : null;
                            break;
                        case Step.Enable when wasArchived:
                            Should.Throw<DomainException>(() => schedule.Enable(Times, at)).Error.Code.ShouldBe("schedule.archived");
                            break;
                        case Step.Enable:
                            schedule.Enable(Times, at);
                            expected = wasEnabled ? expected : Times.NextAfter(c.cron, schedule.Zone, at);
                            break;
                        case Step.Disable when wasArchived:
                            Should.Throw<DomainException>(() => schedule.Disable(at)).Error.Code.ShouldBe("schedule.archived");
                            break;
                        default:
                            schedule.Disable(at);
                            expected = null;
                            break;
                    }

                    schedule.NextRunAt.ShouldBe(expected);
                    if (schedule.IsArchived)
                    {
                        schedule.NextRunAt.ShouldBeNull();
                        schedule.IsDue(DateTimeOffset.MaxValue).ShouldBeFalse();
                    }
                    else if (step == Step.Restore && wasArchived && schedule.Enabled)
                    {
                        schedule.NextRunAt.ShouldNotBeNull().ShouldBeGreaterThan(at);
                    }
                }
            });

    [Fact]
    public void ANotDueSchedule_DoesNotFire() =>
        Should.Throw<InvalidOperationException>(() => New().Fire(Times, Now));
}
