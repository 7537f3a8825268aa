using Loupe.Application.Auth.Commands.Login;
using Loupe.Application.Auth.Queries.IsSessionActive;
using Loupe.Application.Tests.Common.InMemory;
using Loupe.Domain.Common;
using Loupe.Domain.Organizations;
using Loupe.Domain.Sessions;

namespace Loupe.Application.Tests.Auth.Queries.IsSessionActive;

/// <summary>Checking an access token's session on each request, which also records the session's use, at most once a minute.</summary>
public sealed class IsSessionActiveTests : IDisposable
{
    private readonly ApplicationHarness _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task AnActiveSession_AnswersTheRoleNow_AndItsUseIsRecordedOncePerMinute()
    {
        var organization = _app.AddOrganization();
        var user = _app.AddUser(organization, Role.Editor, email: "ann@example.com");
        await _app.SendAsync(new LoginCommand("ann@example.com", "correct horse battery"));
        var session = _app.Store.All<Session>().ShouldHaveSingleItem();
        var check = new IsSessionActiveQuery(session.Id, user.Id, organization.Id);

        // Just signed in: the session's last use is now, nothing to write.
        (await _app.SendAsync(check)).ShouldBe(new SessionStanding(Role.Editor, false));
        _app.Usage.Uses.ShouldBeEmpty();

        _app.Clock.Advance(CredentialUse.RecordInterval);
        await _app.SendAsync(check);

        _app.Usage.Uses.ShouldBe([("session", session.Id, _app.Clock.Now)]);
    }

    [Fact]
    public async Task AnEndedSession_IsNotActive_AndNoUseIsRecorded()
    {
        var organization = _app.AddOrganization();
        var user = _app.AddUser(organization, email: "ann@example.com");
        await _app.SendAsync(new LoginCommand("ann@example.com", "correct horse battery"));
        var session = _app.Store.All<Session>().ShouldHaveSingleItem();
        _app.Clock.Advance(_app.Settings.RefreshTokenLifetime);

        (await _app.SendAsync(new IsSessionActiveQuery(session.Id, user.Id, organization.Id))).ShouldBeNull();

        _app.Usage.Uses.ShouldBeEmpty();
    }
}
