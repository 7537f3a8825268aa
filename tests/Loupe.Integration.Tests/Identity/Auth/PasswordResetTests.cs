using System.Net;
using System.Net.Http.Json;
using Loupe.Application.Common.Security;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Identity.Auth;

public sealed class PasswordResetTests(JobsAuthHost host) : ResetBeforeEachTest(host), IClassFixture<JobsAuthHost>
{
    private const string NewPassword = "a brand new passphrase";

    private readonly HttpClient _anonymous = host.Anonymous;

    [Fact]
    public async Task Forgot_ForAKnownEmail_Is202_AndMailsATokenToIt()
    {
        var email = AuthApi.NewEmail();
        await _anonymous.RegisteredAsync(email);

        using var response = await ForgotAsync(email.ToUpperInvariant());

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await host.ResetTokenMailedAsync(email)).ShouldStartWith("lp_pr");
    }

    [Fact]
    public async Task Forgot_ForAnUnknownEmail_Is202_AndSendsNoMail()
    {
        var email = AuthApi.NewEmail("nobody");

        using var response = await ForgotAsync(email);

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await host.PasswordResetJobsDoneAsync();
        host.Factory.Mail.Sent.ShouldNotContain(m => string.Equals(m.To, email, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Forgot_WithAnInvalidEmail_Is400NamingEmail()
    {
        using var response = await ForgotAsync("not-an-email");

        await response.ShouldBeValidationProblemAsync("email");
    }

    [Fact]
    public async Task Reset_WithTheMailedToken_Is204_SwapsThePassword_AndEndsEverySession()
    {
        var email = AuthApi.NewEmail();
        var registered = await _anonymous.RegisteredAsync(email);
        var loggedIn = await _anonymous.LoggedInAsync(email);
        var token = await RequestResetAsync(email);

        using var response = await ResetAsync(token, NewPassword);

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await _anonymous.LoggedInAsync(email, NewPassword);
        using var oldPassword = await _anonymous.LoginAsync(email, AuthApi.Password);
        await oldPassword.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        foreach (var refreshToken in new[] { registered.RefreshToken, loggedIn.RefreshToken })
        {
            using var refresh = await _anonymous.RefreshAsync(refreshToken);
            await refresh.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task Reset_WithTheSameTokenTwice_Is400NamingToken_TheSecondTime()
    {
        var email = AuthApi.NewEmail();
        await _anonymous.RegisteredAsync(email);
        var token = await RequestResetAsync(email);
        using (var first = await ResetAsync(token, NewPassword))
        {
            first.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        using var second = await ResetAsync(token, "yet another passphrase");

        await second.ShouldBeValidationProblemAsync("token");
        await _anonymous.LoggedInAsync(email, NewPassword);
    }

    [Fact]
    public async Task Reset_WithOneToken_EndsEveryOtherOutstandingTokenOfTheAccount()
    {
        var email = AuthApi.NewEmail();
        await _anonymous.RegisteredAsync(email);
        var older = await RequestResetAsync(email);
        var newer = await RequestResetAsync(email);
        newer.ShouldNotBe(older);
        using (var used = await ResetAsync(newer, NewPassword))
        {
            used.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        using var stale = await ResetAsync(older, "yet another passphrase");

        await stale.ShouldBeValidationProblemAsync("token");
        await _anonymous.LoggedInAsync(email, NewPassword);
    }

    [Fact]
    public async Task ChangingThePassword_EndsEveryOutstandingResetToken()
    {
        var email = AuthApi.NewEmail();
        var tokens = await _anonymous.RegisteredAsync(email);
        var token = await RequestResetAsync(email);
        using (var change = await _anonymous.SendAsync(
                   new HttpRequestMessage(HttpMethod.Post, "/api/v1/me/password")
                   {
                       Content = JsonContent.Create(new { current_password = AuthApi.Password, new_password = NewPassword }),
                   }.WithBearer(tokens.AccessToken),
                   TestContext.Current.CancellationToken))
        {
            change.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        using var stale = await ResetAsync(token, "yet another passphrase");

        await stale.ShouldBeValidationProblemAsync("token");
        await _anonymous.LoggedInAsync(email, NewPassword);
    }

    [Fact]
    public async Task Reset_WithAGarbageToken_Is400NamingToken()
    {
        using var response = await ResetAsync("lp_pr_never-issued-token", NewPassword);

        await response.ShouldBeValidationProblemAsync("token");
    }

    [Fact]
    public async Task Reset_WithAShortPassword_Is400NamingPassword_AndKeepsTheTokenAndPassword()
    {
        var email = AuthApi.NewEmail();
        await _anonymous.RegisteredAsync(email);
        var token = await RequestResetAsync(email);

        using var response = await ResetAsync(token, "short");

        await response.ShouldBeValidationProblemAsync("password");
        await _anonymous.LoggedInAsync(email, AuthApi.Password);
        using var later = await ResetAsync(token, NewPassword);
        later.StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Reset_WithThePasswordEqualToTheEmail_Is400NamingPassword_AndKeepsTheToken()
    {
        var email = AuthApi.NewEmail();
        await _anonymous.RegisteredAsync(email);
        var token = await RequestResetAsync(email);

        using var response = await ResetAsync(token, email);

        await response.ShouldBeValidationProblemAsync("password");
        using var later = await ResetAsync(token, NewPassword);
        later.StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    private Task<HttpResponseMessage> ForgotAsync(string email) =>
        _anonymous.PostJsonAsync("/api/v1/auth/password/forgot", new { email });

    private Task<HttpResponseMessage> ResetAsync(string token, string password) =>
        _anonymous.PostJsonAsync("/api/v1/auth/password/reset", new { token, password });

    private async Task<string> RequestResetAsync(string email)
    {
        var mailed = host.Factory.Mail.Sent.Count(m => m.Kind == MailKind.PasswordReset && string.Equals(m.To, email, StringComparison.OrdinalIgnoreCase));
        using var response = await ForgotAsync(email);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        return await host.ResetTokenMailedAsync(email, mailed + 1);
    }
}
