using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Identity.Auth;

/// <summary>
/// The account-entry endpoints (register, login, refresh, forgot and reset password) read no
/// credential: a valid or garbage access token or API key a client still sends changes nothing in
/// their answer. Register with any bearer token answered 500 before (the caller's organization
/// refused the new one).
/// </summary>
public sealed class AnonymousCallerTests(IdentityApi api) : ResetBeforeEachTest(api), IClassFixture<IdentityApi>
{
    public static TheoryData<string> Credentials() =>
        ["valid bearer", "garbage bearer", "expired-looking jwt", "valid api key", "api key as bearer", "garbage api key"];

    [Theory]
    [MemberData(nameof(Credentials))]
    public async Task Register_WithACredential_CreatesTheAccountInANewOrganization(string credential)
    {
        var (client, caller) = await ClientCarryingAsync(credential);
        using (client)
        {
            using var response = await client.RegisterAsync(AuthApi.NewEmail("entry"));

            var tokens = await response.ShouldBeTokensAsync(HttpStatusCode.Created);
            using var own = api.Identity.ClientWith(tokens.AccessToken);
            var me = await IdentityApi.GetOkAsync(own, "/api/v1/me");
            me.GetProperty("role").GetString().ShouldBe("admin");
            me.GetProperty("organization").GetProperty("id").GetGuid().ShouldNotBe(caller.OrganizationId);
        }
    }

    [Theory]
    [MemberData(nameof(Credentials))]
    public async Task Login_WithACredential_SignsIn(string credential)
    {
        var email = AuthApi.NewEmail("entry");
        using (var anonymous = api.Identity.Anonymous())
        {
            await anonymous.RegisteredAsync(email);
        }

        var (client, _) = await ClientCarryingAsync(credential);
        using (client)
        {
            using var response = await client.LoginAsync(email);

            await response.ShouldBeTokensAsync();
        }
    }

    [Theory]
    [MemberData(nameof(Credentials))]
    public async Task Refresh_WithACredential_Rotates(string credential)
    {
        TokenPair tokens;
        using (var anonymous = api.Identity.Anonymous())
        {
            tokens = await anonymous.RegisteredAsync(AuthApi.NewEmail("entry"));
        }

        var (client, _) = await ClientCarryingAsync(credential);
        using (client)
        {
            using var response = await client.RefreshAsync(tokens.RefreshToken);

            await response.ShouldBeTokensAsync();
        }
    }

    [Theory]
    [MemberData(nameof(Credentials))]
    public async Task ForgotPassword_WithACredential_Is202(string credential)
    {
        var (client, _) = await ClientCarryingAsync(credential);
        using (client)
        {
            using var response = await client.PostJsonAsync("/api/v1/auth/password/forgot", new { email = AuthApi.NewEmail("nobody") });

            response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }
    }

    [Theory]
    [MemberData(nameof(Credentials))]
    public async Task ResetPassword_WithACredential_AnswersAsWithout(string credential)
    {
        var body = new { token = "lp_pr_never-issued-token", password = "a brand new passphrase" };
        JsonElement expected;
        using (var anonymous = api.Identity.Anonymous())
        {
            using var without = await anonymous.PostJsonAsync("/api/v1/auth/password/reset", body);
            expected = await without.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        }

        var (client, _) = await ClientCarryingAsync(credential);
        using (client)
        {
            using var response = await client.PostJsonAsync("/api/v1/auth/password/reset", body);

            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
            problem.GetProperty("errors").ToString().ShouldBe(expected.GetProperty("errors").ToString());
        }
    }

    /// <summary>A client sending <paramref name="credential"/> with every request, and the member whose credential it is.</summary>
    private async Task<(HttpClient Client, Member Caller)> ClientCarryingAsync(string credential)
    {
        var admin = await api.Identity.RegisterAsync();
        var client = api.Factory.CreateClient();
        switch (credential)
        {
            case "valid bearer":
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", admin.AccessToken);
                break;
            case "garbage bearer":
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
                break;
            case "expired-looking jwt":
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", admin.AccessToken[..^4] + "AAAA");
                break;
            case "valid api key":
                client.DefaultRequestHeaders.Add("X-API-Key", (await IdentityApi.CreateApiKeyAsync(admin, "admin")).GetProperty("secret").GetString());
                break;
            case "api key as bearer":
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
                    "Bearer", (await IdentityApi.CreateApiKeyAsync(admin, "viewer")).GetProperty("secret").GetString());
                break;
            default:
                client.DefaultRequestHeaders.Add("X-API-Key", "lp_ak_garbage");
                break;
        }

        return (client, admin);
    }
}
