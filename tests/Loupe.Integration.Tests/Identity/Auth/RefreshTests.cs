using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Identity.Auth;

public sealed class RefreshTests(AuthHost host) : ResetBeforeEachTest(host), IClassFixture<AuthHost>
{
    private readonly HttpClient _anonymous = host.Anonymous;

    [Fact]
    public async Task Refresh_WithTheCurrentToken_ReturnsANewPairForTheSameSession()
    {
        var registered = await _anonymous.RegisteredAsync(AuthApi.NewEmail());

        using var response = await _anonymous.RefreshAsync(registered.RefreshToken);

        var rotated = await response.ShouldBeTokensAsync();
        rotated.RefreshToken.ShouldNotBe(registered.RefreshToken);
        rotated.AccessToken.ShouldNotBe(registered.AccessToken);
        AuthApi.SessionIdOf(rotated.AccessToken).ShouldBe(AuthApi.SessionIdOf(registered.AccessToken));
        using var client = host.Identity.ClientWith(rotated.AccessToken);
        using var me = await client.GetAsync("/api/v1/me", TestContext.Current.CancellationToken);
        me.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Refresh_WithATokenWhoseSuccessorWasRotatedToo_Is401_RevokesTheWholeSession_AndIsAudited()
    {
        var email = AuthApi.NewEmail();
        var registered = await _anonymous.RegisteredAsync(email);
        using var first = await _anonymous.RefreshAsync(registered.RefreshToken);
        var once = await first.ShouldBeTokensAsync();
        using var second = await _anonymous.RefreshAsync(once.RefreshToken);
        var rotated = await second.ShouldBeTokensAsync();

        using var reused = await _anonymous.RefreshAsync(registered.RefreshToken);
        using var afterReuse = await _anonymous.RefreshAsync(rotated.RefreshToken);

        await reused.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await afterReuse.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        var session = AuthApi.SessionIdOf(registered.AccessToken);

        // Every token of the revoked session is refused now, so the admin signs in afresh to look.
        using var login = await _anonymous.PostAsJsonAsync(
            "/api/v1/auth/login", new { email, password = AuthApi.Password }, TestContext.Current.CancellationToken);
        var fresh = await login.ShouldBeTokensAsync();
        using var admin = host.Identity.ClientWith(fresh.AccessToken);
        (await host.Identity.ClientWith(rotated.AccessToken).GetAsync("/api/v1/me", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await admin.AuditActionsAboutAsync(session)).ShouldContain("auth.refresh_token_reused");
        var sessions = await admin.GetFromJsonAsync<JsonElement>("/api/v1/auth/sessions", TestContext.Current.CancellationToken);
        sessions.GetProperty("data").EnumerateArray().ShouldNotContain(s => s.GetProperty("id").GetGuid() == session);
    }

    [Fact]
    public async Task Refresh_OfTheTokenRotatedMomentsAgo_GetsTheSameSuccessor_AndTheSessionGoesOn()
    {
        var registered = await _anonymous.RegisteredAsync(AuthApi.NewEmail());
        using var first = await _anonymous.RefreshAsync(registered.RefreshToken);
        var rotated = await first.ShouldBeTokensAsync();

        using var again = await _anonymous.RefreshAsync(registered.RefreshToken);

        var second = await again.ShouldBeTokensAsync();
        second.RefreshToken.ShouldBe(rotated.RefreshToken);
        AuthApi.SessionIdOf(second.AccessToken).ShouldBe(AuthApi.SessionIdOf(registered.AccessToken));
        using var next = await _anonymous.RefreshAsync(second.RefreshToken);
        var third = await next.ShouldBeTokensAsync();
        third.RefreshToken.ShouldNotBe(second.RefreshToken);
    }

    [Fact]
    public async Task Refresh_MovesTheSessionsLastUse()
    {
        var registered = await _anonymous.RegisteredAsync(AuthApi.NewEmail());
        using var before = host.Identity.ClientWith(registered.AccessToken);
        var created = (await SessionOfAsync(before, registered.AccessToken)).GetProperty("last_used_at").GetDateTimeOffset();

        using var response = await _anonymous.RefreshAsync(registered.RefreshToken);

        var rotated = await response.ShouldBeTokensAsync();
        using var after = host.Identity.ClientWith(rotated.AccessToken);
        (await SessionOfAsync(after, rotated.AccessToken)).GetProperty("last_used_at").GetDateTimeOffset().ShouldBeGreaterThan(created);
    }

    private static async Task<JsonElement> SessionOfAsync(HttpClient client, string accessToken)
    {
        var sessions = await client.GetFromJsonAsync<JsonElement>("/api/v1/auth/sessions", TestContext.Current.CancellationToken);
        return sessions.GetProperty("data").EnumerateArray().Single(s => s.GetProperty("id").GetGuid() == AuthApi.SessionIdOf(accessToken));
    }

    [Theory]
    [InlineData("lp_rt_garbage-that-was-never-issued")]
    [InlineData("not even a token")]
    public async Task Refresh_WithAGarbageToken_Is401Problem(string token)
    {
        using var response = await _anonymous.RefreshAsync(token);

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Refresh_WithoutAToken_Is400NamingRefreshToken()
    {
        using var response = await _anonymous.PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = "" });

        await response.ShouldBeValidationProblemAsync("refresh_token");
    }
}

public sealed class RefreshGraceTests(ShortRefreshGraceHost host) : ResetBeforeEachTest(host), IClassFixture<ShortRefreshGraceHost>
{
    [Fact]
    public async Task Refresh_OfTheTokenRotatedLast_AfterTheGrace_Is401_RevokesTheWholeSession_AndIsAudited()
    {
        var email = AuthApi.NewEmail();
        var registered = await host.Anonymous.RegisteredAsync(email);
        using var first = await host.Anonymous.RefreshAsync(registered.RefreshToken);
        var rotated = await first.ShouldBeTokensAsync();

        // The grace is the behaviour under test: wait it out.
        await Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken);
        using var reused = await host.Anonymous.RefreshAsync(registered.RefreshToken);
        using var afterReuse = await host.Anonymous.RefreshAsync(rotated.RefreshToken);

        await reused.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await afterReuse.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        var fresh = await host.Anonymous.LoggedInAsync(email);
        using var admin = host.Identity.ClientWith(fresh.AccessToken);
        (await admin.AuditActionsAboutAsync(AuthApi.SessionIdOf(registered.AccessToken))).ShouldContain("auth.refresh_token_reused");
    }
}
