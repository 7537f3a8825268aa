using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Domain.Alerts;
using static Loupe.Domain.Tests.Alerts.AlertFixtures;

namespace Loupe.Domain.Tests.Alerts;

/// <summary>
/// The alert against a model of its rules, over random sequences of evaluations (of newer and of late
/// runs), clock steps, mutes and unmutes.
/// </summary>
public sealed class AlertStateMachineTests
{
    /// <summary>One step: an evaluation of a run finished <c>RunOffset</c> seconds after the start, seen <c>Advance</c> seconds after the previous step; or a mute change.</summary>
    private abstract record Step;

    private sealed record Evaluate(AlertState Outcome, int RunOffset, int Advance) : Step;

    private sealed record SetMuted(bool Muted) : Step;

    /// <summary>What the rules say, written plainly: receivers believe the alert is triggered (Told), since ToldAt.</summary>
    private sealed record Model(AlertState State, bool Told, DateTimeOffset? ToldAt, DateTimeOffset? LastRun, bool Muted, DateTimeOffset Clock);

    private static readonly Gen<Step> Steps = Gen.Frequency(
        (8, from outcome in Gen.Elements(AlertState.Unknown, AlertState.Ok, AlertState.Triggered)
            from runOffset in Gen.Choose(0, 20_000)
            from advance in Gen.Choose(0, 4_000)
            select (Step)new Evaluate(outcome, runOffset, advance)),
        (1, Gen.Elements(true, false).Select(m => (Step)new SetMuted(m))));

    private static readonly Gen<(int? Rearm, bool Muted, Step[] Steps)> Scenarios =
        from rearm in Gen.Elements<int?>(null, 60, 600, 3_600)
        from muted in Gen.Elements(false, false, true)
        from steps in Gen.ArrayOf(Steps)
        select (rearm, muted, steps);

    private static (Model Model, AlertNotice Notice) Apply(Model model, Evaluate step, int? rearm)
    {
        var now = model.Clock.AddSeconds(step.Advance);
        var runAt = Now.AddSeconds(step.RunOffset);
        if (model.LastRun is { } last && runAt <= last)
        {
            return (model with { Clock = now }, AlertNotice.None);
        }

        var next = model with { State = step.Outcome, LastRun = runAt, Clock = now };
        if (model.Muted)
        {
            return (next, AlertNotice.None);
        }

        var repeatDue = rearm is { } r && model.ToldAt is { } told && (now - told).TotalSeconds >= r;
        return step.Outcome switch
        {
            AlertState.Triggered when !model.Told || repeatDue => (next with { Told = true, ToldAt = now }, AlertNotice.Triggered),
            AlertState.Ok when model.Told => (next with { Told = false, ToldAt = now }, AlertNotice.Resolved),
            _ => (next, AlertNotice.None),
        };
    }

    [Property(MaxTest = 300)]
    public Property TheAlert_FollowsTheModel_OverAnySequence() =>
        Prop.ForAll(Scenarios.ToArbitrary(), scenario =>
        {
            var alert = New(scenario.Rearm, scenario.Muted);
            var model = new Model(AlertState.Unknown, false, null, null, scenario.Muted, Now);
            foreach (var step in scenario.Steps)
            {
                switch (step)
                {
                    case SetMuted mute:
                        model = model with { Muted = mute.Muted };
                        alert.Mute(mute.Muted, model.Clock);
                        break;
                    case Evaluate evaluate:
                        (model, var expected) = Apply(model, evaluate, scenario.Rearm);
                        var notice = alert.Record(Outcome(evaluate.Outcome), Guid.CreateVersion7(), Now.AddSeconds(evaluate.RunOffset), model.Clock);
                        if (notice != expected || alert.State != model.State || alert.LastEvaluatedAt != model.LastRun)
                        {
                            return false;
                        }

                        break;
                }
            }

            return alert.Muted == model.Muted && (alert.LastNotice == AlertNotice.Triggered) == model.Told;
        });

    [Property(MaxTest = 300)]
    public Property WithoutRearm_NoticesAlternate_StartingWithTriggered() =>
        Prop.ForAll(Scenarios.ToArbitrary(), scenario =>
        {
            var alert = New(rearmSeconds: null, scenario.Muted);
            var clock = Now;
            var notices = new List<AlertNotice>();
            foreach (var step in scenario.Steps)
            {
                if (step is SetMuted mute)
                {
                    alert.Mute(mute.Muted, clock);
                }
                else if (step is Evaluate evaluate)
                {
                    clock = clock.AddSeconds(evaluate.Advance);
                    var notice = alert.Record(Outcome(evaluate.Outcome), Guid.CreateVersion7(), Now.AddSeconds(evaluate.RunOffset), clock);
                    if (notice != AlertNotice.None)
                    {
                        notices.Add(notice);
                    }
                }
            }

            return notices.Select((n, i) => n == (i % 2 == 0 ? AlertNotice.Triggered : AlertNotice.Resolved)).All(x => x);
        });

    [Property(MaxTest = 200)]
    public Property AMutedAlert_ChangesStateButNeverNotifies() =>
        Prop.ForAll(Gen.ArrayOf(Gen.Elements(AlertState.Unknown, AlertState.Ok, AlertState.Triggered)).ToArbitrary(), outcomes =>
        {
            var alert = New(rearmSeconds: 60, muted: true);
            for (var i = 0; i < outcomes.Length; i++)
            {
                var at = Now.AddMinutes(i + 1);
                if (alert.Record(Outcome(outcomes[i]), Guid.CreateVersion7(), at, at) != AlertNotice.None || alert.State != outcomes[i])
                {
                    return false;
                }
            }

            return true;
        });

    [Property(MaxTest = 200)]
    public Property ALateRun_NeverMovesTheStateBackwards() =>
        Prop.ForAll(Gen.Elements(AlertState.Unknown, AlertState.Ok, AlertState.Triggered).Two().ToArbitrary(), pair =>
        {
            var alert = New();
            var newer = Now.AddMinutes(10);
            alert.Record(Outcome(pair.Item1), Guid.CreateVersion7(), newer, newer);
            var before = (alert.State, alert.StateReason, alert.LastNotice, alert.LastRunId);

            var notice = alert.Record(Outcome(pair.Item2), Guid.CreateVersion7(), Now.AddMinutes(5), newer.AddMinutes(1));

            return notice == AlertNotice.None && (alert.State, alert.StateReason, alert.LastNotice, alert.LastRunId) == before;
        });

    [Fact]
    public void OkToTriggered_Notifies_ThenRepeatsOnlyAfterRearm_ThenResolves()
    {
        var alert = New(rearmSeconds: 600);
        var t = Now;
        alert.Record(Outcome(AlertState.Ok), Guid.CreateVersion7(), t = t.AddMinutes(1), t).ShouldBe(AlertNotice.None);
        alert.Record(Outcome(AlertState.Triggered), Guid.CreateVersion7(), t = t.AddMinutes(1), t).ShouldBe(AlertNotice.Triggered);
        alert.LastTriggeredAt.ShouldBe(t);
        alert.Record(Outcome(AlertState.Triggered), Guid.CreateVersion7(), t = t.AddMinutes(5), t).ShouldBe(AlertNotice.None);
        alert.Record(Outcome(AlertState.Triggered), Guid.CreateVersion7(), t = t.AddMinutes(5), t).ShouldBe(AlertNotice.Triggered);
        alert.Record(Outcome(AlertState.Unknown), Guid.CreateVersion7(), t = t.AddMinutes(1), t).ShouldBe(AlertNotice.None);
        alert.State.ShouldBe(AlertState.Unknown);
        alert.StateReason.ShouldBe(AlertReasons.EmptyResult);
        alert.Record(Outcome(AlertState.Ok), Guid.CreateVersion7(), t = t.AddMinutes(1), t).ShouldBe(AlertNotice.Resolved);
        alert.State.ShouldBe(AlertState.Ok);
        alert.StateReason.ShouldBeNull();
    }

    [Fact]
    public void TheSameRun_EvaluatedTwice_NotifiesOnce()
    {
        var alert = New();
        var run = Guid.CreateVersion7();
        var at = Now.AddMinutes(1);

        alert.Record(Outcome(AlertState.Triggered), run, at, at).ShouldBe(AlertNotice.Triggered);
        alert.Record(Outcome(AlertState.Triggered), run, at, at.AddSeconds(5)).ShouldBe(AlertNotice.None);
    }

    [Fact]
    public void AnArchivedAlert_IsNotEvaluated_AndRefusesChanges()
    {
        var alert = New();
        alert.Archive(Now).ShouldBeTrue();

        alert.Record(Outcome(AlertState.Triggered), Guid.CreateVersion7(), Now.AddMinutes(1), Now.AddMinutes(1)).ShouldBe(AlertNotice.None);
        alert.State.ShouldBe(AlertState.Unknown);
        Should.Throw<Loupe.Domain.Common.DomainException>(() => alert.Rename("x", Now)).Error.ShouldBe(AlertErrors.Archived);
    }

    [Fact]
    public void ANewCondition_MakesTheStateUnknown_UntilTheNextRun()
    {
        var alert = New();
        alert.Record(Outcome(AlertState.Triggered), Guid.CreateVersion7(), Now.AddMinutes(1), Now.AddMinutes(1));

        alert.ChangeCondition(AmountAbove(20), Now.AddMinutes(2));

        alert.State.ShouldBe(AlertState.Unknown);
        alert.StateReason.ShouldBe(AlertReasons.NotEvaluated);
        alert.LastNotice.ShouldBe(AlertNotice.Triggered);
    }

    [Theory]
    [InlineData(59)]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(Alert.MaxRearmSeconds + 1)]
    public void ARearmOutOfRange_IsRefused(int seconds) =>
        Should.Throw<Loupe.Domain.Common.DomainException>(() => New(rearmSeconds: seconds)).Error.ShouldBe(AlertErrors.RearmOutOfRange);

    [Fact]
    public void WebhookIds_AreDistinctAndNotEmpty()
    {
        var id = Guid.CreateVersion7();
        Alert.CheckWebhookIds([id, id]).ShouldBe(AlertErrors.WebhookIdInvalid);
        Alert.CheckWebhookIds([Guid.Empty]).ShouldBe(AlertErrors.WebhookIdInvalid);
        Alert.CheckWebhookIds([.. Enumerable.Range(0, Alert.MaxWebhooks + 1).Select(_ => Guid.NewGuid())]).ShouldBe(AlertErrors.TooManyWebhooks);
        Alert.CheckWebhookIds([id]).ShouldBeNull();
    }
}
