using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Domain.Common;
using Loupe.Domain.Organizations;
using Loupe.Domain.Runs;

namespace Loupe.Domain.Tests.Runs;

public sealed class QueryRunTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly RunError Oops = new("42601", "syntax error");

    [Fact]
    public void Queue_StartsQueuedWithoutAttempts()
    {
        var run = NewRun();

        run.Status.ShouldBe(RunStatus.Queued);
        run.Attempt.ShouldBe(0);
        run.DurationMs.ShouldBeNull();
        run.HasResult.ShouldBeFalse();
    }

    [Fact]
    public void StartThenSucceed_RecordsTheResultAndDuration()
    {
        var run = NewRun();
        var attempt = run.Start(Now);

        run.Succeed(attempt, 42, truncated: true, 1234, Now.AddMilliseconds(250), Now.AddDays(7));

        run.Status.ShouldBe(RunStatus.Succeeded);
        (run.RowCount, run.Truncated, run.ResultBytes, run.ResultAttempt).ShouldBe((42L, (bool?)true, 1234L, (int?)1));
        run.DurationMs.ShouldBe(250);
        run.HasResult.ShouldBeTrue();
    }

    [Fact]
    public void ALostAttempt_CannotFinishTheRun_OnceALaterAttemptStarted()
    {
        var run = NewRun();
        var first = run.Start(Now);
        var second = run.Start(Now.AddSeconds(40));

        Should.Throw<DomainException>(() => run.Succeed(first, 1, false, 1, Now, null)).Error.Code.ShouldBe("run.stale_attempt");
        run.Succeed(second, 1, false, 1, Now.AddSeconds(41), null);
        run.ResultAttempt.ShouldBe(2);
    }

    [Fact]
    public void Cancel_AFinishedRun_IsAConflict()
    {
        var run = NewRun();
        run.Fail(run.Start(Now), Oops, Now);

        Should.Throw<DomainException>(() => run.Cancel(Now)).Error.Kind.ShouldBe(DomainErrorKind.Conflict);
    }

    [Fact]
    public void CancelBy_IsAllowedToWhoAskedAndToAdmins_AndRefusedToAnyoneElse()
    {
        var requester = Guid.CreateVersion7();
        var someoneElse = Guid.CreateVersion7();

        foreach (var role in new[] { Role.Viewer, Role.Editor })
        {
            var refused = NewRun(requester);
            Should.Throw<DomainException>(() => refused.CancelBy(someoneElse, role, Now)).Error.ShouldBe(RunErrors.CancelNotAllowed);
            refused.Status.ShouldBe(RunStatus.Queued);

            var own = NewRun(requester);
            own.CancelBy(requester, role, Now);
            own.Status.ShouldBe(RunStatus.Cancelled);
        }

        var byAdmin = NewRun(requester);
        byAdmin.CancelBy(someoneElse, Role.Admin, Now);
        byAdmin.Status.ShouldBe(RunStatus.Cancelled);

        // A scheduled run has no requester: nobody but an admin may cancel it.
        Should.Throw<DomainException>(() => NewRun(null).CancelBy(someoneElse, Role.Editor, Now)).Error.Kind.ShouldBe(DomainErrorKind.Forbidden);
    }

    [Fact]
    public void AnAdHocRun_IsVisibleToWhoRanItAndToAdmins_ASavedQuerysRunToEveryone()
    {
        var requester = Guid.CreateVersion7();
        var someoneElse = Guid.CreateVersion7();
        var adHoc = NewRun(requester);
        var saved = NewRun(requester, savedQueryId: Guid.CreateVersion7());
        var scheduledAdHoc = NewRun(null);

        foreach (var role in new[] { Role.Viewer, Role.Editor })
        {
            adHoc.IsVisibleTo(requester, role).ShouldBeTrue();
            adHoc.IsVisibleTo(someoneElse, role).ShouldBeFalse();
            scheduledAdHoc.IsVisibleTo(someoneElse, role).ShouldBeFalse();
            saved.IsVisibleTo(someoneElse, role).ShouldBeTrue();
        }

        adHoc.IsVisibleTo(someoneElse, Role.Admin).ShouldBeTrue();
        scheduledAdHoc.IsVisibleTo(someoneElse, Role.Admin).ShouldBeTrue();
    }

    [Property]
    public Property VisibleTo_TheDatabaseFilter_AgreesWithIsVisibleTo_ForEveryRunCallerAndRole() =>
        Prop.ForAll(
            Gen.Elements(Role.Viewer, Role.Editor, Role.Admin).ToArbitrary(),
            Gen.Elements(0, 1, 2).ToArbitrary(),
            Gen.Elements(true, false).ToArbitrary(),
            (role, requesterCase, saved) =>
            {
                var caller = Guid.CreateVersion7();
                Guid? requester = requesterCase switch { 0 => null, 1 => caller, _ => Guid.CreateVersion7() };
                var run = NewRun(requester, saved ? Guid.CreateVersion7() : null);
                return QueryRun.VisibleTo(caller, role).Compile()(run) == run.IsVisibleTo(caller, role);
            });

    [Fact]
    public void RunError_KeepsCodeAndMessageWithinTheirLimits()
    {
        var error = new RunError(new string('C', RunError.CodeMaxLength + 10), new string('x', 5000));
        var privileged = new RunError("datasource.privileged_account", "m");

        error.Code.Length.ShouldBe(RunError.CodeMaxLength);
        privileged.Code.ShouldBe("datasource.privileged_account");
        error.Message.Length.ShouldBe(RunError.MessageMaxLength);
    }

    [Property]
    public Property StateMachine_FollowsItsModel_UnderRandomOperationSequences()
    {
        var operations = Gen.Elements(Enum.GetValues<Operation>()).ArrayOf();
        var attemptOffsets = Gen.Choose(-1, 1);
        var steps = operations.SelectMany(ops => attemptOffsets.ArrayOf(ops.Length).Select(offsets => ops.Zip(offsets).ToArray()));

        return Prop.ForAll(steps.ToArbitrary(), sequence =>
        {
            var run = NewRun();
            var model = new Model();
            foreach (var (operation, offset) in sequence)
            {
                var attempt = run.Attempt + offset;
                var expected = model.Apply(operation, attempt);
                var accepted = TryApply(run, operation, attempt);
                if (accepted != expected || run.Status != model.Status || run.Attempt != model.Attempt)
                {
                    return false;
                }

                if (run.Status.IsFinished() && run.FinishedAt is null)
                {
                    return false;
                }

                if (run.Status == RunStatus.Succeeded && run.ResultAttempt != run.Attempt)
                {
                    return false;
                }
            }

            return true;
        });
    }

    private static bool TryApply(QueryRun run, Operation operation, int attempt)
    {
        try
        {
            switch (operation)
            {
                case Operation.Start:
                    run.Start(Now);
                    break;
                case Operation.Succeed:
                    run.Succeed(attempt, 1, false, 10, Now, null);
                    break;
                case Operation.Fail:
                    run.Fail(attempt, Oops, Now);
                    break;
                case Operation.TimeOut:
                    run.TimeOut(attempt, Oops, Now);
                    break;
                case Operation.Retry:
                    run.Retry(attempt, Oops);
                    break;
                case Operation.Cancel:
                    run.Cancel(Now);
                    break;
                case Operation.Abandon:
                    run.Abandon(Oops, Now);
                    break;
            }

            return true;
        }
        catch (DomainException)
        {
            return false;
        }
    }

    private static QueryRun NewRun(Guid? requestedBy = null, Guid? savedQueryId = null) =>
        QueryRun.Queue(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), savedQueryId, requestedBy, "select 1", "[]", new string('a', 64), 30, 100, Now);

    private enum Operation
    {
        Start,
        Succeed,
        Fail,
        TimeOut,
        Retry,
        Cancel,
        Abandon,
    }

    /// <summary>The specification: a table of which operation is allowed in which state, and where it leads.</summary>
    private sealed class Model
    {
        public RunStatus Status { get; private set; } = RunStatus.Queued;

        public int Attempt { get; private set; }

        public bool Apply(Operation operation, int attempt)
        {
            var finished = Status is RunStatus.Succeeded or RunStatus.Failed or RunStatus.Cancelled or RunStatus.TimedOut;
            var current = !finished && Status == RunStatus.Running && attempt == Attempt;
            (bool Allowed, RunStatus Next) outcome = operation switch
            {
                Operation.Start => (!finished, RunStatus.Running),
                Operation.Succeed => (current, RunStatus.Succeeded),
                Operation.Fail => (current, RunStatus.Failed),
                Operation.TimeOut => (current, RunStatus.TimedOut),
                Operation.Retry => (current, RunStatus.Retrying),
                Operation.Cancel or Operation.Abandon => (!finished, operation == Operation.Cancel ? RunStatus.Cancelled : RunStatus.Failed),
                _ => (false, Status),
            };
            if (!outcome.Allowed)
            {
                return false;
            }

            if (operation == Operation.Start)
            {
                Attempt++;
            }

            Status = outcome.Next;
            return true;
        }
    }
}
