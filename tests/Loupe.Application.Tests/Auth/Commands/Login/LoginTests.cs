using Loupe.Application.Auth;
using Loupe.Application.Auth.Commands.Login;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Tests.Common.InMemory;
using Loupe.Domain.Audit;
using Loupe.Domain.Sessions;
using Loupe.Domain.Users;

namespace Loupe.Application.Tests.Auth.Commands.Login;

/// <summary>
/// Signing in: who gets a session, and that every refusal looks the same (the same answer after the
/// same work) while its consequences (the failure count, the lockout) are left to the refused
/// sign-in's job.
/// </summary>
public sealed class LoginTests : IDisposable
{
    private const string Password = "correct horse battery";
    private const string Refusal = "Invalid email or password.";

    private readonly ApplicationHarness _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task TheRightPassword_StartsASession_AndRecordsTheSignIn()
    {
        var user = _app.AddUser(_app.AddOrganization(), email: "ann@example.com");

        var tokens = await _app.SendAsync(new LoginCommand("  Ann@Example.com ", Password));

        var session = _app.Store.All<Session>().ShouldHaveSingleItem();
        session.UserId.ShouldBe(user.Id);
        session.IpAddress.ShouldBe("203.0.113.7");
        tokens.AccessToken.ShouldBe($"access:{user.Id}:{session.Id}:Admin");
        session.Tokens.ShouldHaveSingleItem().Hash.ShouldBe(_app.Tokens.HashOf(tokens.RefreshToken));
        tokens.RefreshToken.ShouldStartWith(SignIn.RefreshTokenPrefix);
        user.LastLoginAt.ShouldBe(_app.Clock.Now);
        _app.Audit.Actions.ShouldBe([AuditActions.LoginSucceeded]);
        _app.InstanceJobs.Enqueued.ShouldBeEmpty();
    }

    [Fact]
    public async Task AWrongPassword_Is401_QueuesTheFailureJob_AndSavesNothing()
    {
        var user = _app.AddUser(_app.AddOrganization(), email: "ann@example.com");

        var refused = await Should.ThrowAsync<UnauthenticatedException>(() => _app.SendAsync(new LoginCommand("ann@example.com", "not it")));

        refused.Message.ShouldBe(Refusal);
        var job = _app.InstanceJobs.Enqueued.ShouldHaveSingleItem();
        job.Kind.ShouldBe(LoginFailedJob.JobKind);
        job.Payload.ShouldContain("ann@example.com");
        _app.Store.Saves.ShouldBe(0);
        _app.Store.All<Session>().ShouldBeEmpty();
        user.RecentFailedLogins.ShouldBeEmpty("the job counts the failure, not the request");
    }

    [Fact]
    public async Task AnUnknownEmail_IsRefusedLikeAWrongPassword_AfterAVerificationAgainstTheDummyHash()
    {
        _app.AddUser(_app.AddOrganization(), email: "ann@example.com");

        var refused = await Should.ThrowAsync<UnauthenticatedException>(() => _app.SendAsync(new LoginCommand("nobody@example.com", Password)));

        refused.Message.ShouldBe(Refusal);
        _app.Passwords.DummyVerifications.ShouldBe(1);
        _app.Passwords.Verifications.ShouldBe(0);
        _app.InstanceJobs.Enqueued.ShouldHaveSingleItem().Kind.ShouldBe(LoginFailedJob.JobKind);
    }

    [Fact]
    public async Task ALockedAccount_RefusesEvenTheRightPassword_WithoutVerifyingIt()
    {
        var user = _app.AddUser(_app.AddOrganization(), email: "ann@example.com");
        for (var i = 0; i < LockoutPolicy.Default.MaxFailures; i++)
        {
            user.RecordFailedLogin(_app.Clock.Now, LockoutPolicy.Default);
        }

        var refused = await Should.ThrowAsync<UnauthenticatedException>(() => _app.SendAsync(new LoginCommand("ann@example.com", Password)));

        refused.Message.ShouldBe(Refusal);
        _app.Passwords.Verifications.ShouldBe(0);
        _app.Passwords.DummyVerifications.ShouldBe(1);
        _app.Store.All<Session>().ShouldBeEmpty();
    }

    [Fact]
    public async Task ALockThatHasRunOut_NoLongerRefuses()
    {
        var user = _app.AddUser(_app.AddOrganization(), email: "ann@example.com");
        for (var i = 0; i < LockoutPolicy.Default.MaxFailures; i++)
        {
            user.RecordFailedLogin(_app.Clock.Now, LockoutPolicy.Default);
        }

        _app.Clock.Advance(LockoutPolicy.Default.LockFor + TimeSpan.FromSeconds(1));
        await _app.SendAsync(new LoginCommand("ann@example.com", Password));

        _app.Store.All<Session>().ShouldHaveSingleItem().UserId.ShouldBe(user.Id);
    }

    [Fact]
    public async Task APasswordHashedWithOlderParameters_IsHashedAgain()
    {
        var organization = _app.AddOrganization();
        var user = User.Register(
            Guid.CreateVersion7(), organization.Id, EmailAddress.Parse("ann@example.com"), "Ann", "old:" + Password, Domain.Organizations.Role.Viewer, false, _app.Clock.Now);
        _app.Store.Seed(user);

        await _app.SendAsync(new LoginCommand("ann@example.com", Password));

        user.PasswordHash.ShouldBe(TestPasswordHasher.HashOf(Password));
        _app.Store.Saves.ShouldBe(1);
    }

    [Fact]
    public async Task WhenTheAddressHasUsedItsAttempts_Is429_BeforeAnythingIsLookedUp()
    {
        _app.AddUser(_app.AddOrganization(), email: "ann@example.com");
        _app.Limiter.Exhausted = true;

        var refused = await Should.ThrowAsync<TooManyRequestsException>(() => _app.SendAsync(new LoginCommand("ANN@example.com", Password)));

        refused.RetryAfter.ShouldBe(TestAttemptLimiter.RetryAfter);
        _app.Limiter.Attempts.ShouldBe([("auth.email", "ann@example.com")]);
        _app.Passwords.Verifications.ShouldBe(0);
        _app.InstanceJobs.Enqueued.ShouldBeEmpty();
    }

    [Fact]
    public async Task WhenAnEarlierRefusalsJobLocksTheAccountDuringTheSave_TheSignInIsRefused()
    {
        var user = _app.AddUser(_app.AddOrganization(), email: "ann@example.com");
        _app.Store.ConflictOnNextSave(() =>
        {
            for (var i = 0; i < LockoutPolicy.Default.MaxFailures; i++)
            {
                user.RecordFailedLogin(_app.Clock.Now, LockoutPolicy.Default);
            }
        });

        var refused = await Should.ThrowAsync<UnauthenticatedException>(() => _app.SendAsync(new LoginCommand("ann@example.com", Password)));

        refused.Message.ShouldBe(Refusal);
        _app.Store.All<Session>().ShouldBeEmpty();
        _app.InstanceJobs.Enqueued.ShouldHaveSingleItem().Kind.ShouldBe(LoginFailedJob.JobKind);
    }
}
