using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Domain.Users;

namespace Loupe.Domain.Tests.Users;

public sealed class UserLockoutTests
{
    private static readonly DateTimeOffset Now = UserTestData.Now;
    private static readonly LockoutPolicy Policy = LockoutPolicy.Default;

    [Fact]
    public void DefaultPolicy_LocksForFifteenMinutesAfterFiveFailuresInFifteenMinutes() =>
        Policy.ShouldBe(new LockoutPolicy(5, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(15)));

    [Fact]
    public void RecordFailedLogin_FourTimes_DoesNotLock()
    {
        var user = UserTestData.Register();

        var locked = Enumerable.Range(0, 4).Select(minute => user.RecordFailedLogin(Now.AddMinutes(minute), Policy)).ToArray();

        locked.ShouldAllBe(result => !result);
        user.IsLockedAt(Now.AddMinutes(3)).ShouldBeFalse();
        user.LockedUntil.ShouldBeNull();
        user.FailedLoginCount.ShouldBe(4);
        user.RecentFailedLogins[0].ShouldBe(Now);
    }

    [Fact]
    public void RecordFailedLogin_TheFifthWithinTheWindow_LocksForFifteenMinutes_AndSaysSo()
    {
        var user = UserTestData.Register();
        FailFourTimes(user);

        var locked = user.RecordFailedLogin(Now.AddMinutes(15), Policy);

        locked.ShouldBeTrue();
        user.LockedUntil.ShouldBe(Now.AddMinutes(30));
        user.IsLockedAt(Now.AddMinutes(15)).ShouldBeTrue();
    }

    [Fact]
    public void RecordFailedLogin_OfAFailureBeforeTheLastSuccessfulSignIn_CountsNothing()
    {
        var user = UserTestData.Register();
        FailFourTimes(user);
        user.RecordSuccessfulLogin(Now.AddMinutes(6));

        // The job counting a failure from minute 5 runs after the sign-in of minute 6.
        var locked = user.RecordFailedLogin(Now.AddMinutes(5), Policy);

        locked.ShouldBeFalse();
        user.FailedLoginCount.ShouldBe(0);
        user.RecordFailedLogin(Now.AddMinutes(7), Policy).ShouldBeFalse();
        user.FailedLoginCount.ShouldBe(1);
    }

    [Fact]
    public void RecordFailedLogin_WhileLocked_DoesNotReportANewLock()
    {
        var user = UserTestData.Register();
        FailFourTimes(user);
        user.RecordFailedLogin(Now.AddMinutes(4), Policy).ShouldBeTrue();

        var again = Enumerable.Range(5, 6).Select(minute => user.RecordFailedLogin(Now.AddMinutes(minute), Policy)).ToArray();

        again.ShouldAllBe(result => !result);
        user.LockedUntil.ShouldBe(Now.AddMinutes(19));
    }

    [Fact]
    public void RecordFailedLogin_SlidesItsWindow_FailuresOlderThanFifteenMinutesNoLongerCount()
    {
        var user = UserTestData.Register();
        FailFourTimes(user);

        var locked = user.RecordFailedLogin(Now.AddMinutes(15).AddSeconds(1), Policy);

        locked.ShouldBeFalse();
        user.LockedUntil.ShouldBeNull();
        user.FailedLoginCount.ShouldBe(4);
        user.RecentFailedLogins[0].ShouldBe(Now.AddMinutes(1));
    }

    [Fact]
    public void RecordFailedLogin_FiveFailuresWithinAnyFifteenMinutes_Lock_EvenAcrossWhereAFixedWindowWouldRestart()
    {
        var user = UserTestData.Register();
        user.RecordFailedLogin(Now, Policy);
        foreach (var second in new[] { 0, 30, 60 })
        {
            user.RecordFailedLogin(Now.AddMinutes(14).AddSeconds(second), Policy).ShouldBeFalse();
        }

        var locked = user.RecordFailedLogin(Now.AddMinutes(16), Policy);
        var lockedAgain = user.RecordFailedLogin(Now.AddMinutes(16).AddSeconds(1), Policy);

        // At 16:00 the failure of 0:00 has left the window: four remain (14:00, 14:30, 15:00, 16:00).
        locked.ShouldBeFalse();
        lockedAgain.ShouldBeTrue();
    }

    [Fact]
    public void IsLockedAt_IsTrueUntilTheLockExpires_AndFalseFromThen()
    {
        var user = LockedAt(Now);

        user.IsLockedAt(Now).ShouldBeTrue();
        user.IsLockedAt(Now.AddMinutes(15).AddTicks(-1)).ShouldBeTrue();
        user.IsLockedAt(Now.AddMinutes(15)).ShouldBeFalse();
        user.IsLockedAt(Now.AddHours(1)).ShouldBeFalse();
    }

    [Fact]
    public void IsLockedAt_WithoutFailures_IsFalse() =>
        UserTestData.Register().IsLockedAt(Now).ShouldBeFalse();

    [Fact]
    public void RecordSuccessfulLogin_ResetsTheCounters_AndSetsLastLoginAt()
    {
        var user = UserTestData.Register();
        FailFourTimes(user);

        user.RecordSuccessfulLogin(Now.AddMinutes(5));

        user.FailedLoginCount.ShouldBe(0);
        user.LastLoginAt.ShouldBe(Now.AddMinutes(5));
        user.RecordFailedLogin(Now.AddMinutes(6), Policy).ShouldBeFalse();
        user.IsLockedAt(Now.AddMinutes(6)).ShouldBeFalse();
    }

    [Fact]
    public void RecordSuccessfulLogin_ClearsALock()
    {
        var user = LockedAt(Now);

        user.RecordSuccessfulLogin(Now.AddMinutes(20));

        user.LockedUntil.ShouldBeNull();
    }

    [Fact]
    public void ChangePasswordHash_ClearsTheLockAndTheCounters()
    {
        var user = LockedAt(Now);

        user.ChangePasswordHash("new-hash", Now.AddMinutes(1));

        user.IsLockedAt(Now.AddMinutes(1)).ShouldBeFalse();
        user.LockedUntil.ShouldBeNull();
        user.FailedLoginCount.ShouldBe(0);
    }

    [Fact]
    public void RecordFailedLogin_AfterTheLockExpired_StartsAFreshCount()
    {
        var user = LockedAt(Now);

        var locked = user.RecordFailedLogin(Now.AddMinutes(16), Policy);

        locked.ShouldBeFalse();
        user.FailedLoginCount.ShouldBe(1);
        user.IsLockedAt(Now.AddMinutes(16)).ShouldBeFalse();
    }

    [Fact]
    public void RecordFailedLogin_FollowsAPolicyOtherThanTheDefault()
    {
        var user = UserTestData.Register();
        var strict = new LockoutPolicy(2, TimeSpan.FromMinutes(1), TimeSpan.FromHours(1));

        user.RecordFailedLogin(Now, strict).ShouldBeFalse();
        user.RecordFailedLogin(Now.AddSeconds(30), strict).ShouldBeTrue();

        user.LockedUntil.ShouldBe(Now.AddSeconds(30).AddHours(1));
    }

    [Property]
    public Property Lockout_FollowsTheRule_OverAnySequenceOfEvents()
    {
        var step = Gen.Frequency(
            (5, Gen.Constant(LoginEvent.Failure)),
            (1, Gen.Constant(LoginEvent.Success)),
            (4, Gen.Elements(0, 1, 30, 60, 299, 300, 899, 900, 901, 1800).Select(LoginEvent.Advance)),
            (2, Gen.Choose(0, 20 * 60).Select(LoginEvent.Advance)));

        return Prop.ForAll(step.ArrayOf().ToArbitrary(), steps => FollowsTheModel(steps));
    }

    /// <summary>
    /// A deliberately simple model: a lock needs at least <c>MaxFailures</c> failures within the window before
    /// it, none of them followed by a success; a lock lasts <c>LockFor</c> unless a success lifts it; and no
    /// run of <c>2 × MaxFailures − 1</c> failures within one window, recorded while unlocked since the last
    /// success or lock, goes by without the account being locked (a fixed window can split a run in two,
    /// hence not <c>MaxFailures</c>). Failures recorded during a lock count towards a new lock but may lapse
    /// with their window; Login does not record them anyway.
    /// </summary>
    private static bool FollowsTheModel(LoginEvent[] steps)
    {
        var user = UserTestData.Register();
        var now = Now;
        var failuresSinceSuccess = new List<DateTimeOffset>();
        var failuresSinceLock = new List<DateTimeOffset>();
        DateTimeOffset? lockedUntil = null;

        foreach (var step in steps)
        {
            switch (step.Kind)
            {
                case LoginEventKind.Advance:
                    now = now.AddSeconds(step.Seconds);
                    break;
                case LoginEventKind.Success:
                    user.RecordSuccessfulLogin(now);
                    failuresSinceSuccess.Clear();
                    failuresSinceLock.Clear();
                    lockedUntil = null;
                    break;
                default:
                    var wasLocked = lockedUntil > now;
                    failuresSinceSuccess.Add(now);
                    if (!wasLocked)
                    {
                        failuresSinceLock.Add(now);
                    }

                    var locked = user.RecordFailedLogin(now, Policy);
                    var recentFailures = failuresSinceSuccess.Count(at => at >= now - Policy.Window);
                    if (locked && (wasLocked || recentFailures < Policy.MaxFailures))
                    {
                        return false;
                    }

                    if (locked)
                    {
                        lockedUntil = now + Policy.LockFor;
                        failuresSinceLock.Clear();
                    }

                    var burst = (2 * Policy.MaxFailures) - 1;
                    if (failuresSinceLock.Count(at => at >= now - Policy.Window) >= burst && !user.IsLockedAt(now))
                    {
                        return false;
                    }

                    break;
            }

            if (user.IsLockedAt(now) != lockedUntil > now)
            {
                return false;
            }
        }

        return true;
    }

    private static void FailFourTimes(User user)
    {
        for (var minute = 0; minute < 4; minute++)
        {
            user.RecordFailedLogin(Now.AddMinutes(minute), Policy).ShouldBeFalse();
        }
    }

    private static User LockedAt(DateTimeOffset at)
    {
        var user = UserTestData.Register();
        for (var failure = 0; failure < Policy.MaxFailures; failure++)
        {
            user.RecordFailedLogin(at, Policy);
        }

        user.LockedUntil.ShouldBe(at + Policy.LockFor);
        return user;
    }

    private enum LoginEventKind
    {
        Failure,
        Success,
        Advance,
    }

    private sealed record LoginEvent(LoginEventKind Kind, int Seconds)
    {
        public static LoginEvent Failure { get; } = new(LoginEventKind.Failure, 0);

        public static LoginEvent Success { get; } = new(LoginEventKind.Success, 0);

        public static LoginEvent Advance(int seconds) => new(LoginEventKind.Advance, seconds);

        public override string ToString() => Kind == LoginEventKind.Advance ? $"+{Seconds}s" : Kind.ToString();
    }
}
