using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Identity.Auth;

/// <summary>
/// Sign-in over HTTP. A refused sign-in's failure count, lockout and audit event are written by its
/// job (<c>auth.login_failed</c>), so this host runs the job engine and the tests wait for those jobs.
/// </summary>
public sealed class LoginTests(JobsAuthHost host) : ResetBeforeEachTest(host), IClassFixture<JobsAuthHost>
{
    private const int LockoutFailures = 5;

    private readonly HttpClient _anonymous = host.Anonymous;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Login_WithTheRightPassword_IsATokenPair_AndItsSessionIsListedAsCurrent()
    {
        var email = AuthApi.NewEmail();
        var registered = await _anonymous.RegisteredAsync(email);

        using var response = await _anonymous.LoginAsync(email.ToUpperInvariant());

        var tokens = await response.ShouldBeTokensAsync();
        using var client = host.Identity.ClientWith(tokens.AccessToken);
        var sessions = (await client.GetFromJsonAsync<JsonElement>("/api/v1/auth/sessions", Ct)).GetProperty("data").EnumerateArray().ToList();
        var current = sessions.Single(s => s.GetProperty("current").GetBoolean());
        current.GetProperty("id").GetGuid().ShouldBe(AuthApi.SessionIdOf(tokens.AccessToken));
        sessions.ShouldContain(s => s.GetProperty("id").GetGuid() == AuthApi.SessionIdOf(registered.AccessToken));
    }

    [Fact]
    public async Task Login_WithWrongPassword_Is401WithTheSameAnswerAsAnUnknownEmailAndALockedAccount()
    {
        var email = AuthApi.NewEmail();
        await _anonymous.RegisteredAsync(email);
        var locked = AuthApi.NewEmail("locked");
        await _anonymous.RegisteredAsync(locked);
        await FailAsync(locked, LockoutFailures);

        using var wrongPassword = await _anonymous.LoginAsync(email, "not the password at all");
        using var unknownEmail = await _anonymous.LoginAsync(AuthApi.NewEmail("nobody"));
        using var lockedAccount = await _anonymous.LoginAsync(locked);

        var problem = await wrongPassword.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await unknownEmail.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await lockedAccount.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        var expected = await wrongPassword.ComparableProblemAsync();
        (await unknownEmail.ComparableProblemAsync()).ShouldBe(expected);
        (await lockedAccount.ComparableProblemAsync()).ShouldBe(expected);
        problem.GetProperty("detail").GetString().ShouldBe("Invalid email or password.");
    }

    [Fact]
    public async Task Login_AfterFiveFailuresInAQuarterHour_RefusesEvenTheRightPassword_AndAuditsTheLockout()
    {
        var email = AuthApi.NewEmail("victim");
        var registered = await _anonymous.RegisteredAsync(email);

        await FailAsync(email, LockoutFailures);
        using var rightPassword = await _anonymous.LoginAsync(email);

        await rightPassword.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        using var admin = host.Identity.ClientWith(registered.AccessToken);
        var userId = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/me", Ct)).GetProperty("id").GetGuid();
        var actions = await admin.AuditActionsAboutAsync(userId);
        actions.Count(a => a == "auth.login_failed").ShouldBeGreaterThanOrEqualTo(LockoutFailures);
        actions.Count(a => a == "auth.locked_out").ShouldBe(1);
        actions.ShouldNotContain("auth.login_succeeded");
    }

    [Fact]
    public async Task Login_AfterFourFailures_StillAcceptsTheRightPassword()
    {
        var email = AuthApi.NewEmail();
        await _anonymous.RegisteredAsync(email);

        await FailAsync(email, LockoutFailures - 1);

        await _anonymous.LoggedInAsync(email);
    }

    [Fact]
    public async Task Login_WithoutEmailOrPassword_Is400NamingBoth()
    {
        using var response = await _anonymous.PostJsonAsync("/api/v1/auth/login", new { email = "", password = "" });

        await response.ShouldBeValidationProblemAsync("email", "password");
    }

    private async Task FailAsync(string email, int times)
    {
        for (var i = 0; i < times; i++)
        {
            using var failed = await _anonymous.LoginAsync(email, $"wrong password {i}");
            failed.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        await host.LoginFailedJobsDoneAsync();
    }
}
