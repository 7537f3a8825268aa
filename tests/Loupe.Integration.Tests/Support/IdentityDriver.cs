using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Loupe.Integration.Tests.Support;

/// <summary>A person using the API: who they are and a client carrying their access token.</summary>
public sealed record Member(Guid UserId, Guid OrganizationId, string Email, string Password, string AccessToken, string RefreshToken, HttpClient Client);

/// <summary>Drives the identity endpoints the way the SPA does, for tests that need signed-in people.</summary>
public sealed class IdentityDriver(Func<HttpClient> newClient)
{
    public const string Password = "correct horse battery";

    public IdentityDriver(LoupeApiFactory factory)
        : this(factory.CreateClient)
    {
    }

    public HttpClient Anonymous() => newClient();

    /// <summary>Registers a new person in a new organization (its admin).</summary>
    public async Task<Member> RegisterAsync(string? email = null, string? organizationName = null)
    {
        email ??= $"admin.{Guid.NewGuid():N}@example.com";
        using var anonymous = newClient();
        using var response = await anonymous.PostAsJsonAsync(
            "/api/v1/auth/register",
            new { email, password = Password, name = "Test Admin", organization_name = organizationName ?? "Org " + Guid.NewGuid().ToString("N")[..8] });
        return await SignedInAsync(response, email);
    }

    /// <summary>Invites a new person into <paramref name="admin"/>'s organization with <paramref name="role"/> and registers them.</summary>
    public async Task<Member> AddMemberAsync(Member admin, string role)
    {
        var email = $"{role}.{Guid.NewGuid():N}@example.com";
        using var invited = await admin.Client.PostAsJsonAsync("/api/v1/organization/invitations", new { email, role });
        invited.StatusCode.ShouldBe(HttpStatusCode.Created, await invited.Content.ReadAsStringAsync());
        var token = (await invited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        using var anonymous = newClient();
        using var response = await anonymous.PostAsJsonAsync(
            "/api/v1/auth/register", new { email, password = Password, name = $"Test {role}", invitation_token = token });
        return await SignedInAsync(response, email);
    }

    public HttpClient ClientWith(string accessToken)
    {
        var client = newClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    private async Task<Member> SignedInAsync(HttpResponseMessage response, string email)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var tokens = await response.Content.ReadFromJsonAsync<JsonElement>();
        var access = tokens.GetProperty("access_token").GetString()!;
        var client = ClientWith(access);
        var me = await client.GetFromJsonAsync<JsonElement>("/api/v1/me");
        return new Member(
            me.GetProperty("id").GetGuid(),
            me.GetProperty("organization").GetProperty("id").GetGuid(),
            email,
            Password,
            access,
            tokens.GetProperty("refresh_token").GetString()!,
            client);
    }
}
