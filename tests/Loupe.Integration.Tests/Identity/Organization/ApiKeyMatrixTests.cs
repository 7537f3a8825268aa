using System.Net;
using System.Net.Http.Json;
using Loupe.Api.Security;
using Loupe.Integration.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Loupe.Integration.Tests.Identity.Organization;

/// <summary>
/// Every account and administration endpoint, sent with an API key of each role. A key may read
/// data its role allows; it may never manage sessions, keys, the account, invitations, members or
/// organization settings, whatever its role. The table below is checked against the route table,
/// so a new endpoint under these paths fails the build's tests until someone classifies it.
/// </summary>
public sealed class ApiKeyMatrixTests(IdentityApi api) : ResetBeforeEachTest(api), IClassFixture<IdentityApi>
{
    private static readonly string[] AccountAndAdminPrefixes =
        ["/api/v1/auth", "/api/v1/me", "/api/v1/api-keys", "/api/v1/organization", "/api/v1/audit-events", "/api/v1/admin"];

    private static readonly string[] KeyRoles = ["viewer", "editor", "admin"];

    /// <summary>What a key gets from each endpoint, by route as the route table names it.</summary>
    private static readonly Dictionary<string, Expectation> Endpoints = new(StringComparer.Ordinal)
    {
        // Anonymous: they act on the credentials in their body, not on the caller.
        ["POST /api/v1/auth/register"] = Expectation.Anonymous,
        ["POST /api/v1/auth/login"] = Expectation.Anonymous,
        ["POST /api/v1/auth/refresh"] = Expectation.Anonymous,
        ["POST /api/v1/auth/password/forgot"] = Expectation.Anonymous,
        ["POST /api/v1/auth/password/reset"] = Expectation.Anonymous,

        // Instance admins only: a key never carries the flag, so whatever its role it finds nothing there (404).
        ["GET /api/v1/admin/jobs/overview"] = Expectation.Hidden(_ => Get("/api/v1/admin/jobs/overview")),
        ["GET /api/v1/admin/jobs"] = Expectation.Hidden(_ => Get("/api/v1/admin/jobs")),
        ["GET /api/v1/admin/jobs/{id:guid}"] = Expectation.Hidden(_ => Get($"/api/v1/admin/jobs/{Guid.CreateVersion7()}")),
        ["POST /api/v1/admin/jobs/{id:guid}/retry"] = Expectation.Hidden(_ => Post($"/api/v1/admin/jobs/{Guid.CreateVersion7()}/retry", new { })),
        ["POST /api/v1/admin/jobs/retry"] = Expectation.Hidden(_ => Post("/api/v1/admin/jobs/retry", new { ids = new[] { Guid.CreateVersion7() } })),
        ["POST /api/v1/admin/jobs/{id:guid}/cancel"] = Expectation.Hidden(_ => Post($"/api/v1/admin/jobs/{Guid.CreateVersion7()}/cancel", new { })),
        ["DELETE /api/v1/admin/jobs/{id:guid}"] = Expectation.Hidden(_ => Delete($"/api/v1/admin/jobs/{Guid.CreateVersion7()}")),
        ["GET /api/v1/admin/jobs/recurring"] = Expectation.Hidden(_ => Get("/api/v1/admin/jobs/recurring")),
        ["POST /api/v1/admin/jobs/recurring/schedules/{id:guid}/trigger"] = Expectation.Hidden(_ => Post($"/api/v1/admin/jobs/recurring/schedules/{Guid.CreateVersion7()}/trigger", new { })),
        ["POST /api/v1/admin/jobs/recurring/schedules/{id:guid}/pause"] = Expectation.Hidden(_ => Post($"/api/v1/admin/jobs/recurring/schedules/{Guid.CreateVersion7()}/pause", new { })),
        ["POST /api/v1/admin/jobs/recurring/schedules/{id:guid}/resume"] = Expectation.Hidden(_ => Post($"/api/v1/admin/jobs/recurring/schedules/{Guid.CreateVersion7()}/resume", new { })),
        ["POST /api/v1/admin/jobs/recurring/system/{kind}/trigger"] = Expectation.Hidden(_ => Post("/api/v1/admin/jobs/recurring/system/jobs.retention/trigger", new { })),
        ["POST /api/v1/admin/jobs/recurring/system/{kind}/pause"] = Expectation.Hidden(_ => Post("/api/v1/admin/jobs/recurring/system/jobs.retention/pause", new { })),
        ["POST /api/v1/admin/jobs/recurring/system/{kind}/resume"] = Expectation.Hidden(_ => Post("/api/v1/admin/jobs/recurring/system/jobs.retention/resume", new { })),
        ["GET /api/v1/admin/jobs/servers"] = Expectation.Hidden(_ => Get("/api/v1/admin/jobs/servers")),
        ["GET /api/v1/admin/jobs/queues"] = Expectation.Hidden(_ => Get("/api/v1/admin/jobs/queues")),
        ["POST /api/v1/admin/jobs/queues/{queue}/pause"] = Expectation.Hidden(_ => Post("/api/v1/admin/jobs/queues/default/pause", new { })),
        ["POST /api/v1/admin/jobs/queues/{queue}/resume"] = Expectation.Hidden(_ => Post("/api/v1/admin/jobs/queues/default/resume", new { })),

        ["POST /api/v1/auth/logout"] = Expectation.Refused(_ => Post("/api/v1/auth/logout", new { })),
        ["GET /api/v1/auth/sessions"] = Expectation.Refused(_ => Get("/api/v1/auth/sessions")),
        ["DELETE /api/v1/auth/sessions/{id:guid}"] = Expectation.Refused(s => Delete($"/api/v1/auth/sessions/{s.SessionId}")),
        ["GET /api/v1/me"] = Expectation.Readable("viewer", _ => Get("/api/v1/me")),
        ["PATCH /api/v1/me"] = Expectation.Refused(_ => Patch("/api/v1/me", new { name = "Taken Over" })),
        ["POST /api/v1/me/password"] = Expectation.Refused(
            _ => Post("/api/v1/me/password", new { current_password = IdentityDriver.Password, new_password = "a brand new passphrase" })),
        ["POST /api/v1/api-keys"] = Expectation.Refused(_ => Post("/api/v1/api-keys", new { name = "spawned", role = "viewer" })),
        ["GET /api/v1/api-keys"] = Expectation.Refused(_ => Get("/api/v1/api-keys")),
        ["DELETE /api/v1/api-keys/{id:guid}"] = Expectation.Refused(s => Delete($"/api/v1/api-keys/{s.AdminKeyId}")),
        ["GET /api/v1/organization"] = Expectation.Readable("viewer", _ => Get("/api/v1/organization")),
        ["PATCH /api/v1/organization"] = Expectation.Refused(_ => Patch("/api/v1/organization", new { name = "Renamed By Key" })),
        ["GET /api/v1/organization/usage"] = Expectation.Readable("viewer", _ => Get("/api/v1/organization/usage")),
        ["GET /api/v1/organization/users"] = Expectation.Readable("viewer", _ => Get("/api/v1/organization/users")),
        ["PUT /api/v1/organization/users/{id:guid}/role"] = Expectation.Refused(
            s => Put($"/api/v1/organization/users/{s.MemberId}/role", new { role = "admin" })),
        ["DELETE /api/v1/organization/users/{id:guid}"] = Expectation.Refused(s => Delete($"/api/v1/organization/users/{s.MemberId}")),
        ["POST /api/v1/organization/invitations"] = Expectation.Refused(
            _ => Post("/api/v1/organization/invitations", new { email = IdentityApi.NewEmail("keyed"), role = "admin" })),
        ["GET /api/v1/organization/invitations"] = Expectation.Refused(_ => Get("/api/v1/organization/invitations")),
        ["DELETE /api/v1/organization/invitations/{id:guid}"] = Expectation.Refused(s => Delete($"/api/v1/organization/invitations/{s.InvitationId}")),
        ["GET /api/v1/audit-events"] = Expectation.Readable("admin", _ => Get("/api/v1/audit-events")),
    };

    private readonly IdentityApi _api = api;

    public static TheoryData<string> KeyRoleData => [.. KeyRoles];

    [Fact]
    public void EveryAccountAndAdminEndpoint_IsClassified_AndItsOpenApiMarkerMatches()
    {
        var routes = _api.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Select(e => (Path: "/" + e.RoutePattern.RawText!.Trim('/'), Endpoint: e))
            .Where(e => AccountAndAdminPrefixes.Any(p => e.Path.StartsWith(p, StringComparison.Ordinal)))
            .SelectMany(e => (e.Endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Key: $"{m} {e.Path}", e.Endpoint)))
            .ToList();

        routes.Select(r => r.Key).Where(k => !Endpoints.ContainsKey(k)).ShouldBeEmpty("classify these endpoints in ApiKeyMatrixTests");
        Endpoints.Keys.Where(k => routes.All(r => r.Key != k)).ShouldBeEmpty("these classified endpoints no longer exist");
        foreach (var (key, endpoint) in routes)
        {
            ApiKeyRefusal.IsRefusing(endpoint.Metadata).ShouldBe(Endpoints[key].IsRefused, $"{key}: .RefusesApiKeys() and the table disagree");
        }
    }

    [Theory]
    [MemberData(nameof(KeyRoleData))]
    public async Task AKeyOfAnyRole_IsRefusedEveryManagementEndpoint_AndNothingChanges(string keyRole)
    {
        var scene = await SceneAsync(keyRole);
        var before = await StateAsync(scene.OrganizationId);

        foreach (var (route, expectation) in Endpoints.Where(e => e.Value.IsRefused))
        {
            using var request = expectation.Request!(scene);
            using var response = await scene.Key.SendAsync(request, TestContext.Current.CancellationToken);

            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
            problem.GetProperty("code").GetString().ShouldBe("auth.api_key_not_allowed", route);
        }

        (await StateAsync(scene.OrganizationId)).ShouldBe(before);
        (await IdentityApi.GetOkAsync(scene.Admin.Client, "/api/v1/me")).GetProperty("name").GetString().ShouldBe("Test Admin");
    }

    [Theory]
    [MemberData(nameof(KeyRoleData))]
    public async Task AKeyOfAnyRole_FindsNothingAtTheInstanceAdminEndpoints_EvenTheInstanceAdminsOwnKey(string keyRole)
    {
        var scene = await SceneAsync(keyRole);
        var before = await StateAsync(scene.OrganizationId);

        foreach (var (route, expectation) in Endpoints.Where(e => e.Value.IsHidden))
        {
            using var request = expectation.Request!(scene);
            using var response = await scene.Key.SendAsync(request, TestContext.Current.CancellationToken);

            (await response.ShouldBeProblemAsync(HttpStatusCode.NotFound)).GetProperty("code").GetString().ShouldBe("not_found", route);
        }

        (await StateAsync(scene.OrganizationId)).ShouldBe(before);
    }

    [Theory]
    [MemberData(nameof(KeyRoleData))]
    public async Task AKey_ReadsWhatItsRoleAllows_AndNothingChanges(string keyRole)
    {
        var scene = await SceneAsync(keyRole);
        var before = await StateAsync(scene.OrganizationId);

        foreach (var (route, expectation) in Endpoints.Where(e => e.Value.MinimumRole is not null))
        {
            using var request = expectation.Request!(scene);
            using var response = await scene.Key.SendAsync(request, TestContext.Current.CancellationToken);

            if (Array.IndexOf(KeyRoles, keyRole) >= Array.IndexOf(KeyRoles, expectation.MinimumRole))
            {
                response.StatusCode.ShouldBe(HttpStatusCode.OK, route);
            }
            else
            {
                await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
            }
        }

        (await StateAsync(scene.OrganizationId)).ShouldBe(before);
    }

    [Theory]
    [MemberData(nameof(KeyRoleData))]
    public async Task Me_ThroughAKey_ShowsTheKeysRole_NotItsCreators(string keyRole)
    {
        var scene = await SceneAsync(keyRole);

        var me = await IdentityApi.GetOkAsync(scene.Key, "/api/v1/me");

        me.GetProperty("id").GetGuid().ShouldBe(scene.Admin.UserId);
        me.GetProperty("role").GetString().ShouldBe(keyRole);
        me.GetProperty("is_instance_admin").GetBoolean().ShouldBeFalse();
    }

    /// <summary>
    /// An organization whose admin (also the instance admin when first) has a session, an admin key,
    /// a member and a pending invitation, and a key of <paramref name="keyRole"/> to attack them with.
    /// </summary>
    private async Task<Scene> SceneAsync(string keyRole)
    {
        var admin = await _api.Identity.RegisterAsync();
        var member = await _api.Identity.AddMemberAsync(admin, "editor");
        var invitation = await IdentityApi.InviteAsync(admin, IdentityApi.NewEmail("pending"));
        var adminKey = await IdentityApi.CreateApiKeyAsync(admin, "admin");
        var key = await IdentityApi.CreateApiKeyAsync(admin, keyRole);
        var sessions = await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/auth/sessions");
        return new Scene(
            admin,
            admin.OrganizationId,
            sessions[0].GetProperty("id").GetGuid(),
            adminKey.GetProperty("id").GetGuid(),
            member.UserId,
            invitation.GetProperty("id").GetGuid(),
            _api.ClientWithHeader("X-API-Key", key.GetProperty("secret").GetString()!));
    }

    /// <summary>Everything a management endpoint could change in the organization, as the owner sees it.</summary>
    private async Task<string> StateAsync(Guid organizationId)
    {
        await using var connection = new NpgsqlConnection(_api.OwnerConnection);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(
            """
            SELECT concat_ws(E'\n',
              (SELECT string_agg(concat_ws('|', name, time_zone, updated_at), ',') FROM organizations WHERE id = @org),
              (SELECT string_agg(concat_ws('|', id, email, name, password_hash, role, updated_at), ',' ORDER BY id) FROM users WHERE organization_id = @org),
              (SELECT string_agg(concat_ws('|', id, revoked_at, generation), ',' ORDER BY id) FROM sessions WHERE organization_id = @org),
              (SELECT string_agg(concat_ws('|', id, name, role, revoked_at), ',' ORDER BY id) FROM api_keys WHERE organization_id = @org),
              (SELECT string_agg(concat_ws('|', id, email, role, revoked_at), ',' ORDER BY id) FROM invitations WHERE organization_id = @org),
              (SELECT string_agg(concat_ws('|', id, used_at), ',' ORDER BY id) FROM password_resets WHERE organization_id = @org))
            """,
            connection);
        command.Parameters.AddWithValue("org", organizationId);
        return (string)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    private static HttpRequestMessage Get(string url) => new(HttpMethod.Get, url);

    private static HttpRequestMessage Delete(string url) => new(HttpMethod.Delete, url);

    private static HttpRequestMessage Post(string url, object body) => new(HttpMethod.Post, url) { Content = JsonContent.Create(body) };

    private static HttpRequestMessage Patch(string url, object body) => new(HttpMethod.Patch, url) { Content = JsonContent.Create(body) };

    private static HttpRequestMessage Put(string url, object body) => new(HttpMethod.Put, url) { Content = JsonContent.Create(body) };

    private sealed record Scene(Member Admin, Guid OrganizationId, Guid SessionId, Guid AdminKeyId, Guid MemberId, Guid InvitationId, HttpClient Key);

    /// <summary>Refused to every key; readable from <see cref="MinimumRole"/> up; or anonymous (not the caller's business).</summary>
    private sealed record Expectation(bool IsRefused, string? MinimumRole, Func<Scene, HttpRequestMessage>? Request, bool IsHidden = false)
    {
        public static readonly Expectation Anonymous = new(false, null, null);

        /// <summary>An instance admin's endpoint: every key is answered as at an unknown address.</summary>
        public static Expectation Hidden(Func<Scene, HttpRequestMessage> request) => new(false, null, request, IsHidden: true);

        public static Expectation Refused(Func<Scene, HttpRequestMessage> request) => new(true, null, request);

        public static Expectation Readable(string minimumRole, Func<Scene, HttpRequestMessage> request) => new(false, minimumRole, request);
    }
}
