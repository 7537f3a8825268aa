using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Loupe.Integration.Tests.Support;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Loupe.Integration.Tests.Identity.Auth;

/// <summary>A token pair as the auth endpoints answer it.</summary>
internal sealed record TokenPair(string AccessToken, string RefreshToken);

/// <summary>Small helpers for driving the identity endpoints over HTTP.</summary>
internal static class AuthApi
{
    public const string Password = "a perfectly fine passphrase";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static string NewEmail(string who = "user") => $"{who}.{Guid.NewGuid():N}@example.com";

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object body) =>
        client.PostAsJsonAsync(path, body, Ct);

    public static Task<HttpResponseMessage> PatchJsonAsync(this HttpClient client, string path, object body) =>
        client.PatchAsJsonAsync(path, body, Ct);

    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Ct);

    public static Task<HttpResponseMessage> RegisterAsync(this HttpClient client, string email, string password = Password, string name = "Ada Lovelace", string? organizationName = null) =>
        client.PostJsonAsync("/api/v1/auth/register", new { email, password, name, organization_name = organizationName ?? "Org " + Guid.NewGuid().ToString("N")[..8] });

    public static Task<HttpResponseMessage> LoginAsync(this HttpClient client, string email, string password = Password) =>
        client.PostJsonAsync("/api/v1/auth/login", new { email, password });

    public static Task<HttpResponseMessage> RefreshAsync(this HttpClient client, string refreshToken) =>
        client.PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = refreshToken });

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;

    /// <summary>Asserts a token answer with <paramref name="status"/> and returns the pair.</summary>
    public static async Task<TokenPair> ShouldBeTokensAsync(this HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(status, text);
        var body = JsonDocument.Parse(text).RootElement;
        body.GetProperty("token_type").GetString().ShouldBe("Bearer");
        body.GetProperty("expires_in").GetInt32().ShouldBe(900);
        var access = body.GetProperty("access_token").GetString();
        var refresh = body.GetProperty("refresh_token").GetString();
        access.ShouldNotBeNullOrWhiteSpace();
        refresh.ShouldNotBeNullOrWhiteSpace();
        return new TokenPair(access, refresh);
    }

    /// <summary>Registers a new person in a new organization and returns their tokens.</summary>
    public static async Task<TokenPair> RegisteredAsync(this HttpClient client, string email, string password = Password)
    {
        using var response = await client.RegisterAsync(email, password);
        return await response.ShouldBeTokensAsync(HttpStatusCode.Created);
    }

    public static async Task<TokenPair> LoggedInAsync(this HttpClient client, string email, string password = Password)
    {
        using var response = await client.LoginAsync(email, password);
        return await response.ShouldBeTokensAsync();
    }

    /// <summary>Asserts a 400 problem whose <c>errors</c> name exactly <paramref name="fields"/>.</summary>
    public static async Task<JsonElement> ShouldBeValidationProblemAsync(this HttpResponseMessage response, params string[] fields)
    {
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var named = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
        named.ShouldBe(fields.Order(StringComparer.Ordinal).ToArray(), problem.GetRawText());
        return problem;
    }

    /// <summary>A problem body without the parts that differ per request, for comparing answers.</summary>
    public static async Task<string> ComparableProblemAsync(this HttpResponseMessage response)
    {
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!.AsObject();
        body.Remove("error_id");
        body.Remove("instance");
        body.Remove("trace_id");
        body.Remove("traceId");
        return body.ToJsonString();
    }

    public static Guid SessionIdOf(string accessToken) => Guid.Parse(new JsonWebToken(accessToken).GetClaim("sid").Value);

    public static HttpRequestMessage WithBearer(this HttpRequestMessage request, string accessToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return request;
    }

    /// <summary>The actions of the audit events of <paramref name="admin"/>'s organization about <paramref name="targetId"/>.</summary>
    public static async Task<IReadOnlyList<string>> AuditActionsAboutAsync(this HttpClient admin, Guid targetId)
    {
        using var response = await admin.GetAsync("/api/v1/audit-events?per_page=100", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        var body = await response.ReadJsonAsync();
        return [.. body.GetProperty("data").EnumerateArray()
            .Where(e => e.GetProperty("target_id").ValueKind == JsonValueKind.String && e.GetProperty("target_id").GetGuid() == targetId)
            .Select(e => e.GetProperty("action").GetString()!)];
    }
}
