using System.Net;
using Loupe.Application.Common.Security;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Identity.Auth;

/// <summary>On a host allowing 3 attempts per email and minute.</summary>
public sealed class LoginRateLimitTests(TightEmailLimitHost host) : ResetBeforeEachTest(host), IClassFixture<TightEmailLimitHost>
{
    [Fact]
    public async Task Login_BeyondThePerEmailLimit_Is429WithRetryAfter_WhileAnotherEmailStillSignsIn()
    {
        var email = AuthApi.NewEmail("busy");
        var other = AuthApi.NewEmail("calm");
        await host.Anonymous.RegisteredAsync(email);
        await host.Anonymous.RegisteredAsync(other);
        for (var i = 0; i < TightEmailLimitHost.PermitLimit; i++)
        {
            using var allowed = await host.Anonymous.LoginAsync(email, i == 0 ? AuthApi.Password : "wrong password");
            allowed.StatusCode.ShouldNotBe(HttpStatusCode.TooManyRequests);
        }

        using var limited = await host.Anonymous.LoginAsync(email.ToUpperInvariant());

        await limited.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        var retryAfter = limited.Headers.RetryAfter;
        retryAfter.ShouldNotBeNull();
        retryAfter.Delta.ShouldNotBeNull();
        retryAfter.Delta.Value.ShouldBeGreaterThan(TimeSpan.Zero);
        await host.Anonymous.LoggedInAsync(other);
    }

    [Fact]
    public async Task Forgot_BeyondThePerEmailLimit_StillAnswers202_ButMailsNoMore()
    {
        var email = AuthApi.NewEmail("forgetful");
        await host.Anonymous.RegisteredAsync(email);

        for (var i = 0; i < TightEmailLimitHost.PermitLimit + 2; i++)
        {
            using var response = await host.Anonymous.PostJsonAsync("/api/v1/auth/password/forgot", new { email });
            response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        await host.PasswordResetJobsDoneAsync();
        host.Factory.Mail.Sent.Count(m => m.To == email && m.Kind == MailKind.PasswordReset).ShouldBe(TightEmailLimitHost.PermitLimit);
    }
}
