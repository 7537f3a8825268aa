using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Identity.Organization;

/// <summary>API keys: a secret shown once, a role no higher than the creator's, two ways to present it, revocation.</summary>
public sealed class ApiKeyTests(IdentityApi api) : ResetBeforeEachTest(api), IClassFixture<IdentityApi>
{
    private readonly IdentityApi _api = api;
    private readonly IdentityDriver _identity = api.Identity;

    [Fact]
    public async Task Create_ShowsTheSecretOnce_AndTheListShowsOnlyItsPrefix()
    {
        var admin = await _identity.RegisterAsync();

        using var response = await admin.Client.PostAsJsonAsync("/api/v1/api-keys", new { name = "nightly export", role = "editor" }, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var created = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var id = created.GetProperty("id").GetGuid();
        var secret = created.GetProperty("secret").GetString()!;
        var prefix = created.GetProperty("prefix").GetString()!;
        response.Headers.Location!.ToString().ShouldEndWith($"/api/v1/api-keys/{id}");
        secret.ShouldStartWith("lp_ak_");
        secret.ShouldStartWith(prefix);
        prefix.Length.ShouldBeLessThan(secret.Length);
        created.GetProperty("name").GetString().ShouldBe("nightly export");
        created.GetProperty("role").GetString().ShouldBe("editor");

        using var list = await admin.Client.GetAsync("/api/v1/api-keys", TestContext.Current.CancellationToken);
        var text = await list.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        list.StatusCode.ShouldBe(HttpStatusCode.OK);
        text.ShouldNotContain(secret);
        text.ShouldNotContain(secret[prefix.Length..]);
        text.ShouldNotContain("\"secret\"");
        var row = JsonDocument.Parse(text).RootElement.GetProperty("data").EnumerateArray().ShouldHaveSingleItem();
        row.GetProperty("id").GetGuid().ShouldBe(id);
        row.GetProperty("prefix").GetString().ShouldBe(prefix);
        row.GetProperty("creator_id").GetGuid().ShouldBe(admin.UserId);
        row.GetProperty("revoked_at").ValueKind.ShouldBe(JsonValueKind.Null);
        row.GetProperty("last_used_at").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Create_WithARoleAboveTheCreators_IsAValidationProblem()
    {
        var admin = await _identity.RegisterAsync();
        var editor = await _identity.AddMemberAsync(admin, "editor");

        using var response = await editor.Client.PostAsJsonAsync("/api/v1/api-keys", new { name = "too strong", role = "admin" }, TestContext.Current.CancellationToken);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").TryGetProperty("role", out _).ShouldBeTrue();
        (await IdentityApi.GetRowsAsync(editor.Client, "/api/v1/api-keys")).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("X-API-Key")]
    [InlineData("Authorization")]
    public async Task TheKey_Authenticates_AsItsCreator(string header)
    {
        var admin = await _identity.RegisterAsync();
        var editor = await _identity.AddMemberAsync(admin, "editor");
        var secret = (await IdentityApi.CreateApiKeyAsync(editor, "viewer")).GetProperty("secret").GetString()!;
        using var client = header == "X-API-Key" ? _api.ClientWithHeader(header, secret) : _identity.ClientWith(secret);

        var me = await IdentityApi.GetOkAsync(client, "/api/v1/me");

        me.GetProperty("id").GetGuid().ShouldBe(editor.UserId);
        me.GetProperty("email").GetString().ShouldBe(editor.Email);
        me.GetProperty("organization").GetProperty("id").GetGuid().ShouldBe(admin.OrganizationId);
    }

    [Fact]
    public async Task AViewerKeyOfAnAdmin_ActsAsAViewer()
    {
        var admin = await _identity.RegisterAsync(organizationName: "Keyed Co");
        var secret = (await IdentityApi.CreateApiKeyAsync(admin, "viewer")).GetProperty("secret").GetString()!;
        using var client = _api.ClientWithHeader("X-API-Key", secret);

        (await IdentityApi.GetOkAsync(client, "/api/v1/organization")).GetProperty("name").GetString().ShouldBe("Keyed Co");
        using var response = await client.PatchAsJsonAsync("/api/v1/organization", new { name = "Key Rename" }, TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        (await IdentityApi.GetOkAsync(admin.Client, "/api/v1/organization")).GetProperty("name").GetString().ShouldBe("Keyed Co");
    }

    [Fact]
    public async Task Me_ThroughAViewerKeyOfAnAdmin_ReportsTheKeysRoleAndPermissions_WhicheverHeaderCarriesIt()
    {
        var admin = await _identity.RegisterAsync();
        var secret = (await IdentityApi.CreateApiKeyAsync(admin, "viewer")).GetProperty("secret").GetString()!;
        using var byHeader = _api.ClientWithHeader("X-API-Key", secret);
        using var byBearer = _api.ClientWithHeader("Authorization", $"Bearer {secret}");

        var signedIn = await IdentityApi.GetOkAsync(admin.Client, "/api/v1/me");
        signedIn.GetProperty("role").GetString().ShouldBe("admin");
        var adminPermissions = signedIn.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()).ToList();
        adminPermissions.ShouldBe(
            ["queries.read", "queries.run", "queries.manage", "runs.read", "runs.ad_hoc", "datasources.read", "datasources.manage", "members.read",
             "members.manage", "organization.manage", "audit.read", "api_keys.manage", "sessions.manage", "account.manage"]);

        foreach (var client in new[] { byHeader, byBearer })
        {
            var me = await IdentityApi.GetOkAsync(client, "/api/v1/me");
            me.GetProperty("role").GetString().ShouldBe("viewer");
            me.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()).ShouldBe(["queries.read", "queries.run", "runs.read", "datasources.read", "members.read"]);

            // What the list leaves out, the endpoints refuse.
            using var adHoc = await client.PostAsJsonAsync("/api/v1/runs", new { datasource_id = Guid.CreateVersion7(), sql = "select 1" }, TestContext.Current.CancellationToken);
            await adHoc.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
            using var keys = await client.GetAsync("/api/v1/api-keys", TestContext.Current.CancellationToken);
            await keys.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        }
    }

    [Fact]
    public async Task Me_OfAnEditor_ListsWhatAnEditorMayDo()
    {
        var admin = await _identity.RegisterAsync();
        var editor = await _identity.AddMemberAsync(admin, "editor");

        var me = await IdentityApi.GetOkAsync(editor.Client, "/api/v1/me");

        me.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()).ShouldBe(
            ["queries.read", "queries.run", "queries.manage", "runs.read", "runs.ad_hoc", "datasources.read", "members.read", "api_keys.manage", "sessions.manage", "account.manage"]);
    }

    [Fact]
    public async Task Using_TheKey_SetsLastUsedAt()
    {
        var admin = await _identity.RegisterAsync();
        var created = await IdentityApi.CreateApiKeyAsync(admin, "viewer");
        using var client = _api.ClientWithHeader("X-API-Key", created.GetProperty("secret").GetString()!);
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);

        await IdentityApi.GetOkAsync(client, "/api/v1/me");

        var row = (await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/api-keys"))
            .Single(k => k.GetProperty("id").GetGuid() == created.GetProperty("id").GetGuid());
        row.GetProperty("last_used_at").ValueKind.ShouldBe(JsonValueKind.String);
        row.GetProperty("last_used_at").GetDateTimeOffset().ShouldBeInRange(before, DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task Revoke_AnswersNoContent_AndTheKeyIsThenUnauthorized()
    {
        var admin = await _identity.RegisterAsync();
        var created = await IdentityApi.CreateApiKeyAsync(admin, "editor");
        using var client = _api.ClientWithHeader("X-API-Key", created.GetProperty("secret").GetString()!);
        await IdentityApi.GetOkAsync(client, "/api/v1/me");

        using (var revoke = await admin.Client.DeleteAsync($"/api/v1/api-keys/{created.GetProperty("id").GetGuid()}", TestContext.Current.CancellationToken))
        {
            revoke.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        using var response = await client.GetAsync("/api/v1/me", TestContext.Current.CancellationToken);
        (await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized)).GetProperty("code").GetString().ShouldBe("auth.api_key_invalid");
        response.Headers.WwwAuthenticate.Single().Parameter.ShouldBe("error=\"invalid_token\", error_description=\"The API key is invalid or revoked\"");
        var row = (await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/api-keys")).ShouldHaveSingleItem();
        row.GetProperty("revoked_at").ValueKind.ShouldBe(JsonValueKind.String);
        (await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/audit-events?action=api_key.revoked")).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Revoke_Again_AnswersTheSame_AndRecordsNoSecondAuditEvent()
    {
        var admin = await _identity.RegisterAsync();
        var path = $"/api/v1/api-keys/{(await IdentityApi.CreateApiKeyAsync(admin, "viewer")).GetProperty("id").GetGuid()}";
        using var first = await admin.Client.DeleteAsync(path, TestContext.Current.CancellationToken);
        var revokedAt = (await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/api-keys")).ShouldHaveSingleItem().GetProperty("revoked_at").GetDateTimeOffset();

        using var again = await admin.Client.DeleteAsync(path, TestContext.Current.CancellationToken);

        first.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        again.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await again.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldBeEmpty();
        (await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/api-keys")).ShouldHaveSingleItem().GetProperty("revoked_at").GetDateTimeOffset().ShouldBe(revokedAt);
        (await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/audit-events?action=api_key.revoked")).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task AnUnknownKey_IsUnauthorized()
    {
        using var client = _api.ClientWithHeader("X-API-Key", "lp_ak_" + new string('x', 40));

        using var response = await client.GetAsync("/api/v1/me", TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Revoke_AnotherMembersKey_IsNotFoundForANonAdmin_AndAllowedForAnAdmin()
    {
        var admin = await _identity.RegisterAsync();
        var editor = await _identity.AddMemberAsync(admin, "editor");
        var viewer = await _identity.AddMemberAsync(admin, "viewer");
        var viewersKey = await IdentityApi.CreateApiKeyAsync(viewer, "viewer");
        var path = $"/api/v1/api-keys/{viewersKey.GetProperty("id").GetGuid()}";

        using (var byEditor = await editor.Client.DeleteAsync(path, TestContext.Current.CancellationToken))
        {
            await byEditor.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        }

        (await IdentityApi.GetRowsAsync(viewer.Client, "/api/v1/api-keys")).ShouldHaveSingleItem()
            .GetProperty("revoked_at").ValueKind.ShouldBe(JsonValueKind.Null);

        using (var byAdmin = await admin.Client.DeleteAsync(path, TestContext.Current.CancellationToken))
        {
            byAdmin.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        (await IdentityApi.GetRowsAsync(viewer.Client, "/api/v1/api-keys")).ShouldHaveSingleItem()
            .GetProperty("revoked_at").ValueKind.ShouldBe(JsonValueKind.String);
    }

    [Fact]
    public async Task Revoke_OwnKey_AsANonAdmin_IsAllowed()
    {
        var admin = await _identity.RegisterAsync();
        var viewer = await _identity.AddMemberAsync(admin, "viewer");
        var key = await IdentityApi.CreateApiKeyAsync(viewer, "viewer");

        using var response = await viewer.Client.DeleteAsync($"/api/v1/api-keys/{key.GetProperty("id").GetGuid()}", TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task List_ShowsANonAdminOnlyTheirOwnKeys_AndAnAdminEveryKey()
    {
        var admin = await _identity.RegisterAsync();
        var editor = await _identity.AddMemberAsync(admin, "editor");
        var viewer = await _identity.AddMemberAsync(admin, "viewer");
        var adminsKey = await IdentityApi.CreateApiKeyAsync(admin, "admin");
        var editorsKey = await IdentityApi.CreateApiKeyAsync(editor, "editor");
        var viewersKey = await IdentityApi.CreateApiKeyAsync(viewer, "viewer");

        var asEditor = await IdentityApi.GetRowsAsync(editor.Client, "/api/v1/api-keys");
        var asViewer = await IdentityApi.GetRowsAsync(viewer.Client, "/api/v1/api-keys");
        var asAdmin = await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/api-keys");

        asEditor.Select(IdOf).ShouldBe([IdOf(editorsKey)]);
        asViewer.Select(IdOf).ShouldBe([IdOf(viewersKey)]);
        asAdmin.Select(IdOf).ShouldBe([IdOf(adminsKey), IdOf(editorsKey), IdOf(viewersKey)], ignoreOrder: true);
    }

    [Fact]
    public async Task AnApiKey_CannotCreateApiKeys()
    {
        var admin = await _identity.RegisterAsync();
        var secret = (await IdentityApi.CreateApiKeyAsync(admin, "admin")).GetProperty("secret").GetString()!;
        using var client = _api.ClientWithHeader("X-API-Key", secret);

        using var response = await client.PostAsJsonAsync("/api/v1/api-keys", new { name = "spawned", role = "viewer" }, TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        (await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/api-keys")).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Create_IsAudited_WithTheKeyAsTarget()
    {
        var admin = await _identity.RegisterAsync();
        var key = await IdentityApi.CreateApiKeyAsync(admin, "viewer");

        var created = (await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/audit-events?action=api_key.created")).ShouldHaveSingleItem();

        created.GetProperty("actor_id").GetGuid().ShouldBe(admin.UserId);
        created.GetProperty("target_id").GetGuid().ShouldBe(IdOf(key));
        created.GetProperty("details").GetProperty("role").GetString().ShouldBe("viewer");
        created.GetProperty("details").GetProperty("name").GetString().ShouldBe(key.GetProperty("name").GetString());
    }

    [Fact]
    public async Task AKey_NeverActsAboveItsCreatorsCurrentRole()
    {
        var admin = await _identity.RegisterAsync();
        var second = await _identity.AddMemberAsync(admin, "admin");
        var key = await IdentityApi.CreateApiKeyAsync(second, "admin");
        using (var demote = await admin.Client.PutAsJsonAsync(
            $"/api/v1/organization/users/{second.UserId}/role", new { role = "viewer" }, TestContext.Current.CancellationToken))
        {
            demote.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using var client = _api.ClientWithHeader("X-API-Key", key.GetProperty("secret").GetString()!);

        // Deleting a data source needs an admin: the key was made as one, its creator no longer is.
        using var response = await client.DeleteAsync($"/api/v1/datasources/{Guid.NewGuid()}", TestContext.Current.CancellationToken);

        (await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden)).GetProperty("code").GetString().ShouldBe("forbidden");
        (await IdentityApi.GetOkAsync(client, "/api/v1/me")).GetProperty("role").GetString().ShouldBe("viewer");
    }

    [Fact]
    public async Task ActionsThroughAKey_AreAuditedWithTheKeyAndItsCreator()
    {
        var admin = await _identity.RegisterAsync();
        var key = await IdentityApi.CreateApiKeyAsync(admin, "admin");
        using var client = _api.ClientWithHeader("X-API-Key", key.GetProperty("secret").GetString()!);

        await IdentityApi.CreateDataSourceAsync(admin with { Client = client });

        var updated = (await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/audit-events?action=datasource.created")).ShouldHaveSingleItem();
        updated.GetProperty("actor_id").GetGuid().ShouldBe(admin.UserId);
        updated.GetProperty("actor_api_key_id").GetGuid().ShouldBe(IdOf(key));
    }

    private static Guid IdOf(JsonElement key) => key.GetProperty("id").GetGuid();
}
