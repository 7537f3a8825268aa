using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Domain.Sessions;

namespace Loupe.Domain.Tests.Sessions;

public sealed class SessionRotationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    [Fact]
    public void Start_StoresTheFirstTokenAsGenerationZero()
    {
        var organizationId = Guid.CreateVersion7();
        var userId = Guid.CreateVersion7();

        var session = Session.Start(Guid.CreateVersion7(), organizationId, userId, "hash-0", Now, Lifetime, "Firefox", "203.0.113.7");

        session.OrganizationId.ShouldBe(organizationId);
        session.UserId.ShouldBe(userId);
        session.Generation.ShouldBe(0);
        session.Tokens.Count.ShouldBe(1);
        var token = session.Tokens.Single();
        token.Hash.ShouldBe("hash-0");
        token.Generation.ShouldBe(0);
        token.IssuedAt.ShouldBe(Now);
        token.OrganizationId.ShouldBe(organizationId);
        session.CreatedAt.ShouldBe(Now);
        session.LastUsedAt.ShouldBe(Now);
        session.ExpiresAt.ShouldBe(Now + Lifetime);
        session.UserAgent.ShouldBe("Firefox");
        session.IpAddress.ShouldBe("203.0.113.7");
        session.IsActiveAt(Now).ShouldBeTrue();
    }

    [Fact]
    public void Start_TruncatesALongUserAgent()
    {
        var session = Session.Start(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), "hash-0", Now, Lifetime, new string('u', 600), null);

        session.UserAgent.ShouldBe(new string('u', Session.UserAgentMaxLength));
    }

    [Fact]
    public void Start_WithoutATokenHash_IsRefused() =>
        Should.Throw<ArgumentException>(() =>
            Session.Start(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), string.Empty, Now, Lifetime, null, null));

    [Fact]
    public void Refresh_WithTheCurrentToken_RotatesIt()
    {
        var session = Started();

        var outcome = session.Refresh("hash-0", "hash-1", Now.AddMinutes(10));

        outcome.ShouldBe(RefreshOutcome.Rotated);
        session.Generation.ShouldBe(1);
        session.Tokens.Single(t => t.Hash == "hash-1").Generation.ShouldBe(1);
        session.Tokens.Single(t => t.Hash == "hash-1").IssuedAt.ShouldBe(Now.AddMinutes(10));
        session.LastUsedAt.ShouldBe(Now.AddMinutes(10));
        session.IsActiveAt(Now.AddMinutes(10)).ShouldBeTrue();
        session.DomainEvents.ShouldBeEmpty();
    }

    [Fact]
    public void Refresh_WithTheNewestTokenAfterSeveralRotations_RotatesAgain()
    {
        var session = Started();
        session.Refresh("hash-0", "hash-1", Now.AddMinutes(1));
        session.Refresh("hash-1", "hash-2", Now.AddMinutes(2));

        session.Refresh("hash-2", "hash-3", Now.AddMinutes(3)).ShouldBe(RefreshOutcome.Rotated);

        session.Generation.ShouldBe(3);
        session.Tokens.Select(t => t.Generation).ShouldBe([0, 1, 2, 3]);
    }

    [Fact]
    public void Refresh_WithAnOlderToken_RevokesTheWholeSession()
    {
        var session = Started();
        session.Refresh("hash-0", "hash-1", Now.AddMinutes(1));

        var outcome = session.Refresh("hash-0", "hash-x", Now.AddMinutes(2));

        outcome.ShouldBe(RefreshOutcome.ReuseDetected);
        session.RevokedAt.ShouldBe(Now.AddMinutes(2));
        session.RevokedReason.ShouldBe("refresh_token_reuse");
        session.IsActiveAt(Now.AddMinutes(2)).ShouldBeFalse();
        session.Generation.ShouldBe(1);
        session.Tokens.ShouldNotContain(t => t.Hash == "hash-x");
    }

    [Fact]
    public void Refresh_WithAnOlderToken_RaisesRefreshTokenReused()
    {
        var session = Started();
        session.Refresh("hash-0", "hash-1", Now.AddMinutes(1));

        session.Refresh("hash-0", "hash-x", Now.AddMinutes(2));

        session.DomainEvents.ShouldBe([new RefreshTokenReused(session.Id, session.OrganizationId, session.UserId, Now.AddMinutes(2))]);
    }

    [Theory]
    [InlineData("hash-0")]
    [InlineData("hash-1")]
    public void Refresh_AfterReuseWasDetected_ReturnsRevokedForAnyToken(string presented)
    {
        var session = Started();
        session.Refresh("hash-0", "hash-1", Now.AddMinutes(1));
        session.Refresh("hash-0", "hash-x", Now.AddMinutes(2));

        var outcome = session.Refresh(presented, "hash-y", Now.AddMinutes(3));

        outcome.ShouldBe(RefreshOutcome.Revoked);
        session.Generation.ShouldBe(1);
        session.DomainEvents.Count.ShouldBe(1);
    }

    [Fact]
    public void Revoke_Again_ChangesNothing_AndSaysSo()
    {
        var session = Started();

        session.Revoke("revoked_by_user", Now.AddMinutes(1)).ShouldBeTrue();
        session.Revoke("logout", Now.AddMinutes(2)).ShouldBeFalse();

        session.RevokedAt.ShouldBe(Now.AddMinutes(1));
        session.RevokedReason.ShouldBe("revoked_by_user");
    }

    [Fact]
    public void Refresh_AfterRevoke_ReturnsRevokedEvenForTheCurrentToken()
    {
        var session = Started();
        session.Revoke("logout", Now.AddMinutes(1));

        session.Refresh("hash-0", "hash-1", Now.AddMinutes(2)).ShouldBe(RefreshOutcome.Revoked);

        session.Generation.ShouldBe(0);
        session.Tokens.Count.ShouldBe(1);
        session.RevokedReason.ShouldBe("logout");
    }

    [Fact]
    public void Revoke_Twice_KeepsTheFirstTimeAndReason()
    {
        var session = Started();

        session.Revoke("logout", Now.AddMinutes(1));
        session.Revoke("admin", Now.AddMinutes(2));

        session.RevokedAt.ShouldBe(Now.AddMinutes(1));
        session.RevokedReason.ShouldBe("logout");
    }

    [Fact]
    public void Refresh_OfAnExpiredSession_ReturnsExpired_AndDoesNotRotate()
    {
        var session = Started();

        var outcome = session.Refresh("hash-0", "hash-1", Now + Lifetime);

        outcome.ShouldBe(RefreshOutcome.Expired);
        session.Generation.ShouldBe(0);
        session.Tokens.Count.ShouldBe(1);
        session.LastUsedAt.ShouldBe(Now);
        session.IsActiveAt(Now + Lifetime).ShouldBeFalse();
    }

    [Fact]
    public void Refresh_JustBeforeExpiry_Rotates() =>
        Started().Refresh("hash-0", "hash-1", Now + Lifetime - TimeSpan.FromTicks(1)).ShouldBe(RefreshOutcome.Rotated);

    [Fact]
    public void Refresh_DoesNotExtendTheSession()
    {
        var session = Started();

        session.Refresh("hash-0", "hash-1", Now.AddDays(29));

        session.ExpiresAt.ShouldBe(Now + Lifetime);
    }

    [Fact]
    public void Refresh_WithAnUnknownToken_Throws()
    {
        var session = Started();

        Should.Throw<ArgumentException>(() => session.Refresh("hash-of-another-session", "hash-1", Now.AddMinutes(1)));

        session.Generation.ShouldBe(0);
        session.IsActiveAt(Now.AddMinutes(1)).ShouldBeTrue();
    }

    [Property]
    public Property Refresh_AcceptsOnlyTheNewestToken_AndAnyOlderOneEndsTheSession()
    {
        // Each step presents the newest token (null) or the token of an older generation (its index, modulo the newest).
        var step = Gen.OneOf(Gen.Constant<int?>(null), Gen.Choose(0, 50).Select(generation => (int?)generation));

        return Prop.ForAll(step.ArrayOf().ToArbitrary(), steps =>
        {
            var session = Started();
            var issued = new List<string> { "hash-0" };
            var olderPresented = false;
            var now = Now;

            foreach (var older in steps)
            {
                now = now.AddMinutes(1);
                var newest = issued.Count - 1;
                var generation = older is { } index && newest > 0 ? index % newest : newest;
                var next = $"hash-{issued.Count}";
                var outcome = session.Refresh(issued[generation], next, now);

                var expected = olderPresented ? RefreshOutcome.Revoked
                    : generation != newest ? RefreshOutcome.ReuseDetected
                    : RefreshOutcome.Rotated;
                if (outcome != expected)
                {
                    return false;
                }

                if (outcome == RefreshOutcome.Rotated)
                {
                    issued.Add(next);
                }

                olderPresented |= generation != newest;
            }

            return session.IsActiveAt(now) == !olderPresented
                && session.Generation == issued.Count - 1
                && session.Tokens.Select(t => t.Hash).SequenceEqual(issued)
                && session.DomainEvents.Count == (olderPresented ? 1 : 0);
        });
    }

    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    [Fact]
    public void Refresh_OfTheTokenRotatedLast_WithinTheGrace_KeepsTheSessionAsItIs()
    {
        var session = Started();
        session.Refresh("hash-0", "hash-1", Now.AddMinutes(1), Grace).ShouldBe(RefreshOutcome.Rotated);

        var outcome = session.Refresh("hash-0", "hash-1", Now.AddMinutes(1).AddSeconds(5), Grace);

        outcome.ShouldBe(RefreshOutcome.RotatedMomentsAgo);
        session.Generation.ShouldBe(1);
        session.Tokens.Select(t => t.Hash).ShouldBe(["hash-0", "hash-1"]);
        session.LastUsedAt.ShouldBe(Now.AddMinutes(1));
        session.IsActiveAt(Now.AddMinutes(2)).ShouldBeTrue();
        session.DomainEvents.ShouldBeEmpty();
    }

    [Fact]
    public void Refresh_OfTheTokenRotatedLast_AfterTheGrace_IsReuse()
    {
        var session = Started();
        session.Refresh("hash-0", "hash-1", Now.AddMinutes(1), Grace);

        session.Refresh("hash-0", "hash-1", Now.AddMinutes(1) + Grace + TimeSpan.FromSeconds(1), Grace).ShouldBe(RefreshOutcome.ReuseDetected);

        session.RevokedReason.ShouldBe("refresh_token_reuse");
        session.DomainEvents.OfType<RefreshTokenReused>().ShouldHaveSingleItem();
    }

    [Fact]
    public void Refresh_WithinTheGrace_OfATokenWhoseSuccessorWasRotatedToo_IsReuse()
    {
        var session = Started();
        session.Refresh("hash-0", "hash-1", Now.AddMinutes(1), Grace);
        session.Refresh("hash-1", "hash-2", Now.AddMinutes(1).AddSeconds(2), Grace);

        session.Refresh("hash-0", "hash-1", Now.AddMinutes(1).AddSeconds(3), Grace).ShouldBe(RefreshOutcome.ReuseDetected);
    }

    [Fact]
    public void Refresh_WithinTheGrace_ThatWouldGetAnotherSuccessor_IsReuse()
    {
        var session = Started();
        session.Refresh("hash-0", "hash-1", Now.AddMinutes(1), Grace);

        session.Refresh("hash-0", "hash-other", Now.AddMinutes(1).AddSeconds(1), Grace).ShouldBe(RefreshOutcome.ReuseDetected);
    }

    [Property]
    public bool Refresh_OfTheTokenRotatedLast_KeepsTheSessionExactlyWithinTheGrace(NonNegativeInt milliseconds, PositiveInt graceSeconds)
    {
        var grace = TimeSpan.FromSeconds(graceSeconds.Get % 300);
        var session = Started();
        session.Refresh("hash-0", "hash-1", Now.AddMinutes(1), grace);
        var delay = TimeSpan.FromMilliseconds(milliseconds.Get % 600_000);

        var outcome = session.Refresh("hash-0", "hash-1", Now.AddMinutes(1) + delay, grace);

        var expected = grace > TimeSpan.Zero && delay <= grace ? RefreshOutcome.RotatedMomentsAgo : RefreshOutcome.ReuseDetected;
        return outcome == expected && session.IsActiveAt(Now.AddMinutes(1) + delay) == (expected == RefreshOutcome.RotatedMomentsAgo);
    }

    private static Session Started() =>
        Session.Start(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), "hash-0", Now, Lifetime, null, null);
}
