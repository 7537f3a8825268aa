using System.Net;
using System.Net.Http.Json;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Identity.Organization;

public sealed class InvitationStatusTests(IdentityApi api) : ResetBeforeEachTest(api), IClassFixture<IdentityApi>
{
    [Fact]
    public async Task StatusFilter_ListsOnlyInvitationsInThatStatus()
    {
        var admin = await api.Identity.RegisterAsync();
        var pending = await IdentityApi.InviteAsync(admin, IdentityApi.NewEmail("pending"));
        var revoked = await IdentityApi.InviteAsync(admin, IdentityApi.NewEmail("revoked"));
        (await admin.Client.DeleteAsync($"/api/v1/organization/invitations/{revoked.GetProperty("id").GetGuid()}", TestContext.Current.CancellationToken))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var pendingRows = await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/organization/invitations?status=pending");
        var revokedRows = await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/organization/invitations?status=revoked");

        pendingRows.Select(r => r.GetProperty("id").GetGuid()).ShouldBe([pending.GetProperty("id").GetGuid()]);
        revokedRows.Select(r => r.GetProperty("id").GetGuid()).ShouldBe([revoked.GetProperty("id").GetGuid()]);
        revokedRows.ShouldAllBe(r => r.GetProperty("status").GetString() == "revoked");
    }

    [Fact]
    public async Task StatusFilter_WithAnUnknownStatus_Is400NamingStatus()
    {
        var admin = await api.Identity.RegisterAsync();

        using var response = await admin.Client.GetAsync("/api/v1/organization/invitations?status=lost", TestContext.Current.CancellationToken);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").TryGetProperty("status", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task InvitingAnAddressWithAPendingInvitation_Is409_UntilThatOneIsRevoked()
    {
        var admin = await api.Identity.RegisterAsync();
        var email = IdentityApi.NewEmail("twice");
        var first = await IdentityApi.InviteAsync(admin, email);

        using var again = await admin.Client.PostAsJsonAsync("/api/v1/organization/invitations", new { email, role = "editor" }, TestContext.Current.CancellationToken);
        await again.ShouldBeProblemAsync(HttpStatusCode.Conflict);

        (await admin.Client.DeleteAsync($"/api/v1/organization/invitations/{first.GetProperty("id").GetGuid()}", TestContext.Current.CancellationToken))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var second = await IdentityApi.InviteAsync(admin, email, "editor");
        second.GetProperty("role").GetString().ShouldBe("editor");
    }
}
