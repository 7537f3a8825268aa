using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Identity.Auth;

public sealed class SessionTests(AuthHost host) : ResetBeforeEachTest(host), IClassFixture<AuthHost>
{
    private readonly HttpClient _anonymous = host.Anonymous;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Logout_Is204_AndTheSessionsRefreshTokenStopsWorking()
    {
        var email = AuthApi.NewEmail();
        var registered = await _anonymous.RegisteredAsync(email);
        var other = await _anonymous.LoggedInAsync(email);
        using var client = host.Identity.ClientWith(registered.AccessToken);

        using var response = await client.PostAsync("/api/v1/auth/logout", null, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        using var refresh = await _anonymous.RefreshAsync(registered.RefreshToken);
        await refresh.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        using var otherRefresh = await _anonymous.RefreshAsync(other.RefreshToken);
        otherRefresh.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Logout_WithoutAToken_Is401Problem()
    {
        using var response = await _anonymous.PostAsync("/api/v1/auth/logout", null, Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Sessions_ListOnlyTheCallersActiveSessions()
    {
        var email = AuthApi.NewEmail();
        var first = await _anonymous.RegisteredAsync(email);
        var second = await _anonymous.LoggedInAsync(email);
        var ended = await _anonymous.LoggedInAsync(email);
        using (var endedClient = host.Identity.ClientWith(ended.AccessToken))
        using (var logout = await endedClient.PostAsync("/api/v1/auth/logout", null, Ct))
        {
            logout.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        var stranger = await _anonymous.RegisteredAsync(AuthApi.NewEmail("stranger"));

        var ids = await SessionIdsAsync(second.AccessToken);

        ids.Order().ShouldBe(new[] { AuthApi.SessionIdOf(first.AccessToken), AuthApi.SessionIdOf(second.AccessToken) }.Order());
        ids.ShouldNotContain(AuthApi.SessionIdOf(stranger.AccessToken));
    }

    [Fact]
    public async Task Sessions_AnswerTheListEnvelope_AndPage()
    {
        var email = AuthApi.NewEmail();
        var first = await _anonymous.RegisteredAsync(email);
        var second = await _anonymous.LoggedInAsync(email);
        using var client = host.Identity.ClientWith(second.AccessToken);

        var page = await client.GetFromJsonAsync<JsonElement>("/api/v1/auth/sessions?per_page=1&sort=created_at", Ct);

        page.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("id").GetGuid()).ShouldBe([AuthApi.SessionIdOf(first.AccessToken)]);
        var pagination = page.GetProperty("pagination");
        pagination.GetProperty("page").GetInt32().ShouldBe(1);
        pagination.GetProperty("per_page").GetInt32().ShouldBe(1);
        pagination.GetProperty("total").GetInt32().ShouldBe(2);
        pagination.GetProperty("total_pages").GetInt32().ShouldBe(2);
        pagination.GetProperty("has_next").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Sessions_WithoutAToken_Is401Problem()
    {
        using var response = await _anonymous.GetAsync("/api/v1/auth/sessions", Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RevokeSession_Is204_ItsRefreshTokenFails_AndItLeavesTheList()
    {
        var email = AuthApi.NewEmail();
        var laptop = await _anonymous.RegisteredAsync(email);
        var phone = await _anonymous.LoggedInAsync(email);
        var laptopSession = AuthApi.SessionIdOf(laptop.AccessToken);
        using var client = host.Identity.ClientWith(phone.AccessToken);

        using var response = await client.DeleteAsync($"/api/v1/auth/sessions/{laptopSession}", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        using var refresh = await _anonymous.RefreshAsync(laptop.RefreshToken);
        await refresh.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        (await SessionIdsAsync(phone.AccessToken)).ShouldBe([AuthApi.SessionIdOf(phone.AccessToken)]);
    }

    [Fact]
    public async Task RevokeSession_Again_AnswersTheSame_AndRecordsNoSecondAuditEvent()
    {
        var email = AuthApi.NewEmail();
        var laptop = await _anonymous.RegisteredAsync(email);
        var phone = await _anonymous.LoggedInAsync(email);
        using var client = host.Identity.ClientWith(phone.AccessToken);
        var path = $"/api/v1/auth/sessions/{AuthApi.SessionIdOf(laptop.AccessToken)}";

        using var first = await client.DeleteAsync(path, Ct);
        using var again = await client.DeleteAsync(path, Ct);

        first.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        again.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var events = await client.GetFromJsonAsync<JsonElement>("/api/v1/audit-events?action=auth.session_revoked", Ct);
        events.GetProperty("data").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task RevokeSession_OfAnotherUser_Is404Problem_AndLeavesItWorking()
    {
        var mine = await _anonymous.RegisteredAsync(AuthApi.NewEmail("me"));
        var theirs = await _anonymous.RegisteredAsync(AuthApi.NewEmail("them"));
        using var client = host.Identity.ClientWith(mine.AccessToken);

        using var response = await client.DeleteAsync($"/api/v1/auth/sessions/{AuthApi.SessionIdOf(theirs.AccessToken)}", Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using var refresh = await _anonymous.RefreshAsync(theirs.RefreshToken);
        refresh.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task RevokeSession_OfAColleagueInTheSameOrganization_Is404Problem()
    {
        var admin = await host.Identity.RegisterAsync();
        var colleague = await host.Identity.AddMemberAsync(admin, "editor");

        using var response = await admin.Client.DeleteAsync($"/api/v1/auth/sessions/{AuthApi.SessionIdOf(colleague.AccessToken)}", Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task RevokeSession_Unknown_Is404Problem()
    {
        var mine = await _anonymous.RegisteredAsync(AuthApi.NewEmail());
        using var client = host.Identity.ClientWith(mine.AccessToken);

        using var response = await client.DeleteAsync($"/api/v1/auth/sessions/{Guid.CreateVersion7()}", Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    private async Task<Guid[]> SessionIdsAsync(string accessToken)
    {
        using var client = host.Identity.ClientWith(accessToken);
        var body = await client.GetFromJsonAsync<JsonElement>("/api/v1/auth/sessions", Ct);
        return [.. body.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("id").GetGuid())];
    }
}
