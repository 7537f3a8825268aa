using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Identity.Organization;

/// <summary>An organization has at most <c>Quotas:MaxUsersPerOrganization</c> members, pending invitations included.</summary>
public sealed class UserQuotaTests(DatabaseFixture database) : ResetBeforeEachTest(database), IClassFixture<DatabaseFixture>
{
    private LoupeApiFactory _factory = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _factory = LoupeApiFactory.For(database, settings: new Dictionary<string, string?> { ["Quotas:MaxUsersPerOrganization"] = "2" });
    }

    public override async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task InvitingBeyondTheQuota_Is409NamingTheLimit_AndUsageShowsIt()
    {
        var identity = new IdentityDriver(_factory);
        var admin = await identity.RegisterAsync();
        await identity.AddMemberAsync(admin, "editor");

        using var refused = await admin.Client.PostAsJsonAsync(
            "/api/v1/organization/invitations", new { email = IdentityApi.NewEmail("third"), role = "viewer" }, TestContext.Current.CancellationToken);
        var usage = await admin.Client.GetFromJsonAsync<JsonElement>("/api/v1/organization/usage", TestContext.Current.CancellationToken);

        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.GetProperty("detail").GetString()!.ShouldContain("limit of 2 members");
        usage.GetProperty("users").GetInt32().ShouldBe(2);
        usage.GetProperty("max_users").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task APendingInvitation_CountsAgainstTheQuota()
    {
        var admin = await new IdentityDriver(_factory).RegisterAsync();
        await IdentityApi.InviteAsync(admin, IdentityApi.NewEmail("pending"));

        using var refused = await admin.Client.PostAsJsonAsync(
            "/api/v1/organization/invitations", new { email = IdentityApi.NewEmail("over"), role = "viewer" }, TestContext.Current.CancellationToken);

        await refused.ShouldBeProblemAsync(HttpStatusCode.Conflict);
    }
}
