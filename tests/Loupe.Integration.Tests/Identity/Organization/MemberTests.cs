using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Identity.Organization;

/// <summary>Listing members, changing their roles and removing them; the last admin stays.</summary>
public sealed class MemberTests(IdentityApi api) : ResetBeforeEachTest(api), IClassFixture<IdentityApi>
{
    private readonly IdentityApi _api = api;
    private readonly IdentityDriver _identity = api.Identity;

    [Fact]
    public async Task List_IsPaginated_SortedByName_AndFilteredByRole()
    {
        var admin = await _identity.RegisterAsync();
        var viewers = new[] { await _identity.AddMemberAsync(admin, "viewer"), await _identity.AddMemberAsync(admin, "viewer") };
        await _identity.AddMemberAsync(admin, "editor");

        var firstPage = await IdentityApi.GetOkAsync(admin.Client, "/api/v1/organization/users?per_page=2&sort=name");
        var pagination = firstPage.GetProperty("pagination");
        pagination.GetProperty("total").GetInt32().ShouldBe(4);
        pagination.GetProperty("per_page").GetInt32().ShouldBe(2);
        pagination.GetProperty("total_pages").GetInt32().ShouldBe(2);
        pagination.GetProperty("has_next").GetBoolean().ShouldBeTrue();
        var secondPage = await IdentityApi.GetOkAsync(admin.Client, "/api/v1/organization/users?per_page=2&page=2&sort=name");
        var names = firstPage.GetProperty("data").EnumerateArray().Concat(secondPage.GetProperty("data").EnumerateArray())
            .Select(u => u.GetProperty("name").GetString()!).ToList();
        names.Count.ShouldBe(4);
        names.ShouldBe(names.Order(StringComparer.Ordinal).ToList());

        var onlyViewers = await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/organization/users?role=viewer");
        onlyViewers.Select(u => u.GetProperty("id").GetGuid()).ShouldBe(viewers.Select(v => v.UserId), ignoreOrder: true);
        onlyViewers.ShouldAllBe(u => u.GetProperty("role").GetString() == "viewer");
    }

    [Fact]
    public async Task List_AsViewer_IsAllowed()
    {
        var admin = await _identity.RegisterAsync();
        var viewer = await _identity.AddMemberAsync(admin, "viewer");

        var users = await IdentityApi.GetRowsAsync(viewer.Client, "/api/v1/organization/users");

        users.Select(u => u.GetProperty("id").GetGuid()).ShouldBe([admin.UserId, viewer.UserId], ignoreOrder: true);
    }

    [Fact]
    public async Task List_WithAnUnknownSortField_IsAValidationProblemNamingTheAllowedFields()
    {
        var admin = await _identity.RegisterAsync();

        using var response = await admin.Client.GetAsync("/api/v1/organization/users?sort=password_hash", TestContext.Current.CancellationToken);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var message = problem.GetProperty("errors").GetProperty("sort")[0].GetString()!;
        message.ShouldContain("name");
        message.ShouldContain("created_at");
        message.ShouldContain("last_login_at");
    }

    [Fact]
    public async Task ChangeRole_AsAdmin_PromotesAndDemotes_AndIsAudited()
    {
        var admin = await _identity.RegisterAsync();
        var viewer = await _identity.AddMemberAsync(admin, "viewer");

        var promoted = await PutRoleAsync(admin, viewer.UserId, "admin", HttpStatusCode.OK);
        promoted.GetProperty("id").GetGuid().ShouldBe(viewer.UserId);
        promoted.GetProperty("role").GetString().ShouldBe("admin");
        (await RoleOfAsync(admin, viewer.UserId)).ShouldBe("admin");
        (await PutRoleAsync(admin, viewer.UserId, "editor", HttpStatusCode.OK)).GetProperty("role").GetString().ShouldBe("editor");
        (await RoleOfAsync(admin, viewer.UserId)).ShouldBe("editor");

        var audit = await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/audit-events?action=user.role_changed");
        audit.Count.ShouldBe(2);
        audit.ShouldAllBe(e => e.GetProperty("target_id").GetGuid() == viewer.UserId);
        var details = audit.Select(e => (e.GetProperty("details").GetProperty("from").GetString(), e.GetProperty("details").GetProperty("to").GetString()));
        details.ShouldBe([("admin", "editor"), ("viewer", "admin")]);
    }

    [Fact]
    public async Task ChangeRole_DemotingTheLastAdmin_IsAConflict()
    {
        var admin = await _identity.RegisterAsync();
        await _identity.AddMemberAsync(admin, "editor");

        using var response = await admin.Client.PutAsJsonAsync(
            $"/api/v1/organization/users/{admin.UserId}/role", new { role = "viewer" }, TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        (await RoleOfAsync(admin, admin.UserId)).ShouldBe("admin");
    }

    [Fact]
    public async Task ChangeRole_OfOneOfTwoAdmins_IsAllowed()
    {
        var admin = await _identity.RegisterAsync();
        var other = await _identity.AddMemberAsync(admin, "admin");

        await PutRoleAsync(other, admin.UserId, "viewer", HttpStatusCode.OK);

        (await RoleOfAsync(other, admin.UserId)).ShouldBe("viewer");
    }

    [Theory]
    [InlineData("{\"role\":\"superuser\"}")]
    [InlineData("{\"role\":\"\"}")]
    [InlineData("{\"role\":null}")]
    [InlineData("{}")]
    [InlineData("{\"role\":2}")]
    public async Task ChangeRole_WithAnInvalidRole_IsBadRequest(string json)
    {
        var admin = await _identity.RegisterAsync();
        var viewer = await _identity.AddMemberAsync(admin, "viewer");
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await admin.Client.PutAsync($"/api/v1/organization/users/{viewer.UserId}/role", content, TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        (await RoleOfAsync(admin, viewer.UserId)).ShouldBe("viewer");
    }

    [Theory]
    [InlineData("viewer")]
    [InlineData("editor")]
    public async Task ChangeRole_AsNonAdmin_IsForbidden(string role)
    {
        var admin = await _identity.RegisterAsync();
        var member = await _identity.AddMemberAsync(admin, role);

        using var response = await member.Client.PutAsJsonAsync(
            $"/api/v1/organization/users/{member.UserId}/role", new { role = "admin" }, TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        (await RoleOfAsync(admin, member.UserId)).ShouldBe(role);
    }

    [Fact]
    public async Task Remove_TakesTheMemberOut_EndsTheirSessions_AndStopsTheirApiKeys()
    {
        var admin = await _identity.RegisterAsync();
        var editor = await _identity.AddMemberAsync(admin, "editor");
        var key = await IdentityApi.CreateApiKeyAsync(editor, "viewer");
        using var keyClient = _api.ClientWithHeader("X-API-Key", key.GetProperty("secret").GetString()!);
        (await keyClient.GetAsync("/api/v1/me", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var response = await admin.Client.DeleteAsync($"/api/v1/organization/users/{editor.UserId}", TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var users = await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/organization/users");
        users.Select(u => u.GetProperty("id").GetGuid()).ShouldBe([admin.UserId]);
        using var anonymous = _identity.Anonymous();
        using (var refresh = await anonymous.PostAsJsonAsync("/api/v1/auth/refresh", new { refresh_token = editor.RefreshToken }, TestContext.Current.CancellationToken))
        {
            await refresh.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        }

        using (var withKey = await keyClient.GetAsync("/api/v1/me", TestContext.Current.CancellationToken))
        {
            await withKey.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        }

        using var bearerKey = _identity.ClientWith(key.GetProperty("secret").GetString()!);
        using (var withBearerKey = await bearerKey.GetAsync("/api/v1/me", TestContext.Current.CancellationToken))
        {
            await withBearerKey.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        }

        (await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/audit-events?action=user.removed"))
            .ShouldHaveSingleItem().GetProperty("target_id").GetGuid().ShouldBe(editor.UserId);
    }

    [Fact]
    public async Task Remove_TheLastAdmin_IsAConflict()
    {
        var admin = await _identity.RegisterAsync();

        using var response = await admin.Client.DeleteAsync($"/api/v1/organization/users/{admin.UserId}", TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        (await IdentityApi.GetOkAsync(admin.Client, "/api/v1/me")).GetProperty("id").GetGuid().ShouldBe(admin.UserId);
    }

    [Fact]
    public async Task Remove_AsNonAdmin_IsForbidden()
    {
        var admin = await _identity.RegisterAsync();
        var editor = await _identity.AddMemberAsync(admin, "editor");
        var viewer = await _identity.AddMemberAsync(admin, "viewer");

        using var response = await editor.Client.DeleteAsync($"/api/v1/organization/users/{viewer.UserId}", TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        (await RoleOfAsync(admin, viewer.UserId)).ShouldBe("viewer");
    }

    [Fact]
    public async Task Remove_AnUnknownUser_IsNotFound()
    {
        var admin = await _identity.RegisterAsync();

        using var response = await admin.Client.DeleteAsync($"/api/v1/organization/users/{Guid.CreateVersion7()}", TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task List_WithAnUnknownRole_IsAValidationProblemNamingTheRoles()
    {
        var admin = await _identity.RegisterAsync();

        using var response = await admin.Client.GetAsync("/api/v1/organization/users?role=owner", TestContext.Current.CancellationToken);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var message = problem.GetProperty("errors").GetProperty("role")[0].GetString()!;
        message.ShouldContain("admin");
        message.ShouldContain("editor");
        message.ShouldContain("viewer");
    }

    [Fact]
    public async Task ChangeRole_OfAnUnknownUser_IsNotFound()
    {
        var admin = await _identity.RegisterAsync();

        using var response = await admin.Client.PutAsJsonAsync(
            $"/api/v1/organization/users/{Guid.CreateVersion7()}/role", new { role = "viewer" }, TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    private static async Task<JsonElement> PutRoleAsync(Member caller, Guid userId, string role, HttpStatusCode expected)
    {
        using var response = await caller.Client.PutAsJsonAsync(
            $"/api/v1/organization/users/{userId}/role", new { role }, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(expected, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task<string?> RoleOfAsync(Member admin, Guid userId)
    {
        var users = await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/organization/users?per_page=100");
        return users.Single(u => u.GetProperty("id").GetGuid() == userId).GetProperty("role").GetString();
    }
}
