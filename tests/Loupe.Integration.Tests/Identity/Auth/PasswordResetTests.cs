using System.Net;
using Loupe.Application.Common.Security;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Identity.Auth;

public sealed class PasswordResetTests(AuthHost host) : IClassFixture<AuthHost>
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
        host.Factory.Mail.TokenSentTo(email, MailKind.PasswordReset).ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task Forgot_ForAnUnknownEmail_Is202_AndSendsNoMail()
    {
        var email = AuthApi.NewEmail("nobody");

        using var response = await ForgotAsync(email);

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
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
        using var response = await ForgotAsync(email);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        return host.Factory.Mail.TokenSentTo(email, MailKind.PasswordReset);
    }
}
