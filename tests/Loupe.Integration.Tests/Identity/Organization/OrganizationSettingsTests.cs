using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Identity.Organization;

/// <summary>Reading and changing the organization, and what it holds (<c>/organization</c>, <c>/organization/usage</c>).</summary>
public sealed class OrganizationSettingsTests(IdentityApi api) : ResetBeforeEachTest(api), IClassFixture<IdentityApi>
{
    private readonly IdentityDriver _identity = api.Identity;

    [Fact]
    public async Task Get_AsViewer_ReturnsTheOrganization()
    {
        var admin = await _identity.RegisterAsync(organizationName: "Viewers Welcome");
        var viewer = await _identity.AddMemberAsync(admin, "viewer");

        var organization = await IdentityApi.GetOkAsync(viewer.Client, "/api/v1/organization");

        organization.GetProperty("id").GetGuid().ShouldBe(admin.OrganizationId);
        organization.GetProperty("name").GetString().ShouldBe("Viewers Welcome");
        organization.GetProperty("time_zone").GetString().ShouldBe("UTC");
    }

    [Fact]
    public async Task Patch_AsAdmin_ChangesNameAndTimeZone_AndIsAudited()
    {
        var admin = await _identity.RegisterAsync();

        using var response = await admin.Client.PatchAsJsonAsync(
            "/api/v1/organization", new { name = "Renamed Co", time_zone = "Europe/Berlin" }, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        body.GetProperty("name").GetString().ShouldBe("Renamed Co");
        body.GetProperty("time_zone").GetString().ShouldBe("Europe/Berlin");
        var reread = await IdentityApi.GetOkAsync(admin.Client, "/api/v1/organization");
        reread.GetProperty("name").GetString().ShouldBe("Renamed Co");
        reread.GetProperty("time_zone").GetString().ShouldBe("Europe/Berlin");

        var audit = await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/audit-events?action=organization.updated");
        var updated = audit.ShouldHaveSingleItem();
        updated.GetProperty("actor_id").GetGuid().ShouldBe(admin.UserId);
        updated.GetProperty("target_id").GetGuid().ShouldBe(admin.OrganizationId);
    }

    [Fact]
    public async Task Patch_OnlyTheName_KeepsTheTimeZone()
    {
        var admin = await _identity.RegisterAsync();
        using (var zone = await admin.Client.PatchAsJsonAsync("/api/v1/organization", new { time_zone = "America/New_York" }, TestContext.Current.CancellationToken))
        {
            zone.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using var response = await admin.Client.PatchAsJsonAsync("/api/v1/organization", new { name = "Only Name" }, TestContext.Current.CancellationToken);

        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        body.GetProperty("name").GetString().ShouldBe("Only Name");
        body.GetProperty("time_zone").GetString().ShouldBe("America/New_York");
    }

    [Fact]
    public async Task Patch_WithNull_ResetsTheTimeZoneToUtc_AndRefusesToResetTheName()
    {
        var admin = await _identity.RegisterAsync(organizationName: "Kept Co");
        using (var zone = await admin.Client.PatchAsJsonAsync("/api/v1/organization", new { time_zone = "America/New_York" }, TestContext.Current.CancellationToken))
        {
            zone.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using var reset = await admin.Client.PatchAsJsonAsync("/api/v1/organization", new { time_zone = (string?)null }, TestContext.Current.CancellationToken);
        using var name = await admin.Client.PatchAsJsonAsync("/api/v1/organization", new { name = (string?)null }, TestContext.Current.CancellationToken);

        reset.StatusCode.ShouldBe(HttpStatusCode.OK, await reset.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var body = await reset.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        body.GetProperty("time_zone").GetString().ShouldBe("UTC");
        body.GetProperty("name").GetString().ShouldBe("Kept Co");
        (await name.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("name")[0].GetString()!.ShouldStartWith("name: required");
    }

    [Fact]
    public async Task Patch_WithAnUnknownTimeZone_IsAValidationProblemNamingTimeZone()
    {
        var admin = await _identity.RegisterAsync();

        using var response = await admin.Client.PatchAsJsonAsync(
            "/api/v1/organization", new { time_zone = "Mars/Olympus_Mons" }, TestContext.Current.CancellationToken);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").TryGetProperty("time_zone", out _).ShouldBeTrue();
        (await IdentityApi.GetOkAsync(admin.Client, "/api/v1/organization")).GetProperty("time_zone").GetString().ShouldBe("UTC");
    }

    [Fact]
    public async Task Patch_WithAnEmptyObject_IsAValidationProblem()
    {
        var admin = await _identity.RegisterAsync();

        using var response = await admin.Client.PatchAsJsonAsync("/api/v1/organization", new { }, TestContext.Current.CancellationToken);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.TryGetProperty("errors", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Patch_WithNoBodyAtAll_IsAValidationProblem()
    {
        var admin = await _identity.RegisterAsync();
        using var content = new StringContent(string.Empty, Encoding.UTF8, "application/json");

        using var response = await admin.Client.PatchAsync("/api/v1/organization", content, TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("viewer")]
    [InlineData("editor")]
    public async Task Patch_AsNonAdmin_IsForbidden_AndChangesNothing(string role)
    {
        var admin = await _identity.RegisterAsync(organizationName: "Unchanged Co");
        var member = await _identity.AddMemberAsync(admin, role);

        using var response = await member.Client.PatchAsJsonAsync("/api/v1/organization", new { name = "Hijacked" }, TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        (await IdentityApi.GetOkAsync(admin.Client, "/api/v1/organization")).GetProperty("name").GetString().ShouldBe("Unchanged Co");
    }

    [Fact]
    public async Task Usage_CountsUsersAdminsActiveKeysAndPendingInvitations()
    {
        var admin = await _identity.RegisterAsync();
        await _identity.AddMemberAsync(admin, "admin");
        await _identity.AddMemberAsync(admin, "editor");
        var viewer = await _identity.AddMemberAsync(admin, "viewer");
        await IdentityApi.CreateApiKeyAsync(admin, "editor");
        await IdentityApi.CreateApiKeyAsync(viewer, "viewer");
        var revokedKey = await IdentityApi.CreateApiKeyAsync(admin, "viewer");
        using (var revoke = await admin.Client.DeleteAsync($"/api/v1/api-keys/{revokedKey.GetProperty("id").GetGuid()}", TestContext.Current.CancellationToken))
        {
            revoke.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        await IdentityApi.InviteAsync(admin, IdentityApi.NewEmail());
        await IdentityApi.InviteAsync(admin, IdentityApi.NewEmail(), "editor");
        var revokedInvitation = await IdentityApi.InviteAsync(admin, IdentityApi.NewEmail());
        using (var revoke = await admin.Client.DeleteAsync(
            $"/api/v1/organization/invitations/{revokedInvitation.GetProperty("id").GetGuid()}", TestContext.Current.CancellationToken))
        {
            revoke.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        var usage = await IdentityApi.GetOkAsync(viewer.Client, "/api/v1/organization/usage");

        usage.GetProperty("users").GetInt32().ShouldBe(4);
        usage.GetProperty("admins").GetInt32().ShouldBe(2);
        usage.GetProperty("active_api_keys").GetInt32().ShouldBe(2);
        usage.GetProperty("pending_invitations").GetInt32().ShouldBe(2);
    }


    [Theory]
    [InlineData("   ")]
    [InlineData("nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn")]
    public async Task Patch_WithABlankOrTooLongName_IsAValidationProblemNamingName(string name)
    {
        var admin = await _identity.RegisterAsync();

        using var response = await admin.Client.PatchAsJsonAsync("/api/v1/organization", new { name }, TestContext.Current.CancellationToken);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").TryGetProperty("name", out _).ShouldBeTrue();
    }
}
