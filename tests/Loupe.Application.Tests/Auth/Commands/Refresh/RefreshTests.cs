using Loupe.Application.Auth;
using Loupe.Application.Auth.Commands.Login;
using Loupe.Application.Auth.Commands.Refresh;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Tests.Common.InMemory;
using Loupe.Domain.Audit;
using Loupe.Domain.Sessions;

namespace Loupe.Application.Tests.Auth.Commands.Refresh;

/// <summary>Trading a refresh token for a new pair: rotation, and an old token's reuse ending the whole session.</summary>
public sealed class RefreshTests : IDisposable
{
    private readonly ApplicationHarness _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task TheCurrentToken_IsTradedForANewPair_InTheSameSession()
    {
        var (user, first) = await SignedInAsync();

        var second = await _app.SendAsync(new RefreshCommand(first.RefreshToken));

        second.RefreshToken.ShouldNotBe(first.RefreshToken);
        var session = _app.Store.All<Session>().ShouldHaveSingleItem();
        session.Generation.ShouldBe(1);
        second.AccessToken.ShouldBe($"access:{user}:{session.Id}:Admin");
        session.Tokens.Select(t => t.Hash).ShouldBe([_app.Tokens.HashOf(first.RefreshToken), _app.Tokens.HashOf(second.RefreshToken)], ignoreOrder: true);
    }

    [Fact]
    public async Task AnAlreadyUsedToken_Is401_RevokesTheSession_AndIsAudited()
    {
        var (user, first) = await SignedInAsync();
        var second = await _app.SendAsync(new RefreshCommand(first.RefreshToken));
        _app.Clock.Advance(_app.Settings.RefreshReuseGrace + TimeSpan.FromSeconds(1));

        await Should.ThrowAsync<UnauthenticatedException>(() => _app.SendAsync(new RefreshCommand(first.RefreshToken)));

        var session = _app.Store.All<Session>().ShouldHaveSingleItem();
        session.RevokedAt.ShouldBe(_app.Clock.Now);
        session.RevokedReason.ShouldBe("refresh_token_reuse");
        _app.Audit.Events.ShouldContain(e => e.Action == AuditActions.RefreshTokenReused && e.Actor == user && e.Target!.Id == session.Id);

        // The newer token went with the session.
        await Should.ThrowAsync<UnauthenticatedException>(() => _app.SendAsync(new RefreshCommand(second.RefreshToken)));
    }

    [Fact]
    public async Task TheTokenRotatedLast_PresentedAgainWithinTheGrace_GetsTheSameSuccessor_AndChangesNothing()
    {
        var (_, first) = await SignedInAsync();
        var second = await _app.SendAsync(new RefreshCommand(first.RefreshToken));
        _app.Clock.Advance(_app.Settings.RefreshReuseGrace);

        var again = await _app.SendAsync(new RefreshCommand(first.RefreshToken));

        again.RefreshToken.ShouldBe(second.RefreshToken);
        var session = _app.Store.All<Session>().ShouldHaveSingleItem();
        session.RevokedAt.ShouldBeNull();
        session.Generation.ShouldBe(1);
        _app.Audit.Actions.ShouldNotContain(AuditActions.RefreshTokenReused);
    }

    [Fact]
    public async Task ATokenOfAnExpiredSession_Is401_AndChangesNothing()
    {
        var (_, first) = await SignedInAsync();
        var saves = _app.Store.Saves;
        _app.Clock.Advance(_app.Settings.RefreshTokenLifetime);

        await Should.ThrowAsync<UnauthenticatedException>(() => _app.SendAsync(new RefreshCommand(first.RefreshToken)));

        _app.Store.Saves.ShouldBe(saves);
        _app.Store.All<Session>().ShouldHaveSingleItem().Generation.ShouldBe(0);
    }

    [Fact]
    public async Task AnUnknownToken_Is401()
    {
        await SignedInAsync();

        var refused = await Should.ThrowAsync<UnauthenticatedException>(() => _app.SendAsync(new RefreshCommand("lp_rt_nobody")));

        refused.Message.ShouldBe("The refresh token is invalid, expired or revoked. Sign in again.");
    }

    private async Task<(Guid User, AuthTokens Tokens)> SignedInAsync()
    {
        var user = _app.AddUser(_app.AddOrganization(), email: "ann@example.com");
        return (user.Id, await _app.SendAsync(new LoginCommand("ann@example.com", "correct horse battery")));
    }
}
