using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Domain.Common;
using Loupe.Domain.Runs;

namespace Loupe.Domain.Tests.Runs;

/// <summary>Whether a run's result can be read is the run's to say: not finished, no result, expired, or the attempt to read.</summary>
public sealed class QueryRunResultTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly RunError Oops = new(SqlStates.SyntaxError, "syntax error");

    [Fact]
    public void AQueuedOrRunningRun_HasNoResultYet()
    {
        var run = NewRun();
        Code(run).ShouldBe("run.not_finished");

        run.Start(Now);
        Code(run).ShouldBe("run.not_finished");
        run.ResultUnreadableBecause()!.Kind.ShouldBe(DomainErrorKind.Conflict);
    }

    [Fact]
    public void ARunThatEndedWithoutAResult_NeverHasOne()
    {
        var failed = NewRun();
        failed.Fail(failed.Start(Now), Oops, Now);
        var timedOut = NewRun();
        timedOut.TimeOut(timedOut.Start(Now), new RunError(SqlStates.QueryCanceled, "too long"), Now);
        var cancelled = NewRun();
        cancelled.Cancel(Now);

        Code(failed).ShouldBe("run.no_result");
        Code(timedOut).ShouldBe("run.no_result");
        Code(cancelled).ShouldBe("run.no_result");
        cancelled.Error!.Code.ShouldBe(SqlStates.QueryCanceled);
    }

    [Fact]
    public void ASucceededRun_AnswersTheAttemptOfItsResult_UntilItExpires()
    {
        var run = NewRun();
        run.Start(Now);
        var attempt = run.Start(Now.AddSeconds(5));
        run.Succeed(attempt, 3, false, 30, Now.AddSeconds(6), Now.AddDays(7));

        run.ResultUnreadableBecause().ShouldBeNull();
        run.ReadableResultAttempt().ShouldBe(2);

        run.ExpireResult();
        var refused = Should.Throw<DomainException>(() => run.ReadableResultAttempt());
        refused.Error.Code.ShouldBe("run.result_expired");
        refused.Error.Kind.ShouldBe(DomainErrorKind.Gone);
    }

    [Property]
    public Property TheReason_AgreesWithHasResult_AfterAnyEnding() =>
        Prop.ForAll(
            Gen.Elements(0, 1, 2, 3, 4, 5, 6).ToArbitrary(),
            ending =>
            {
                var run = NewRun();
                if (ending >= 1)
                {
                    var attempt = run.Start(Now);
                    switch (ending)
                    {
                        case 2: run.Succeed(attempt, 1, false, 1, Now, null); break;
                        case 3: run.Fail(attempt, Oops, Now); break;
                        case 4: run.Cancel(Now); break;
                        case 5: run.Succeed(attempt, 1, false, 1, Now, null); run.ExpireResult(); break;
                        case 6: run.TimeOut(attempt, Oops, Now); break;
                    }
                }

                return (run.ResultUnreadableBecause() is null) == run.HasResult;
            });

    private static string? Code(QueryRun run) => run.ResultUnreadableBecause()?.Code;

    private static QueryRun NewRun() =>
        QueryRun.Queue(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), null, Guid.CreateVersion7(), "select 1", "[]", new string('a', 64), 30, 100, Now);
}
