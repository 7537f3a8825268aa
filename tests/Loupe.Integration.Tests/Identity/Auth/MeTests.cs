using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Identity.Auth;

public sealed class MeTests(AuthHost host) : ResetBeforeEachTest(host), IClassFixture<AuthHost>
{
    private readonly HttpClient _anonymous = host.Anonymous;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetMe_WithoutAToken_Is401Problem()
    {
        using var response = await _anonymous.GetAsync("/api/v1/me", Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task PatchMe_WithAName_Is200WithTheNewName()
    {
        var member = await host.Identity.RegisterAsync();

        using var response = await member.Client.PatchJsonAsync("/api/v1/me", new { name = "Renamed Person" });

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        (await response.ReadJsonAsync()).GetProperty("name").GetString().ShouldBe("Renamed Person");
        var me = await member.Client.GetFromJsonAsync<JsonElement>("/api/v1/me", Ct);
        me.GetProperty("name").GetString().ShouldBe("Renamed Person");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public async Task PatchMe_WithAnInvalidName_Is400NamingName(string? name)
    {
        var member = await host.Identity.RegisterAsync();

        using var response = await member.Client.PatchJsonAsync("/api/v1/me", new { name });

        await response.ShouldBeValidationProblemAsync("name");
    }

    [Fact]
    public async Task PatchMe_WithATooLongName_Is400NamingName()
    {
        var member = await host.Identity.RegisterAsync();

        using var response = await member.Client.PatchJsonAsync("/api/v1/me", new { name = new string('n', 10_000) });

        await response.ShouldBeValidationProblemAsync("name");
    }

    [Fact]
    public async Task ChangePassword_WithTheWrongCurrentPassword_Is400NamingCurrentPassword()
    {
        var member = await host.Identity.RegisterAsync();

        using var response = await member.Client.PostJsonAsync(
            "/api/v1/me/password", new { current_password = "not my password", new_password = "a brand new passphrase" });

        await response.ShouldBeValidationProblemAsync("current_password");
        await _anonymous.LoggedInAsync(member.Email, member.Password);
    }

    [Fact]
    public async Task ChangePassword_WithAShortNewPassword_Is400NamingNewPassword()
    {
        var member = await host.Identity.RegisterAsync();

        using var response = await member.Client.PostJsonAsync(
            "/api/v1/me/password", new { current_password = member.Password, new_password = "short" });

        await response.ShouldBeValidationProblemAsync("new_password");
    }

    [Fact]
    public async Task ChangePassword_WithTheRightCurrentPassword_Is204_EndsOtherSessions_AndKeepsThisOne()
    {
        var member = await host.Identity.RegisterAsync();
        var other = await _anonymous.LoggedInAsync(member.Email, member.Password);
        const string newPassword = "a brand new passphrase";

        using var response = await member.Client.PostJsonAsync(
            "/api/v1/me/password", new { current_password = member.Password, new_password = newPassword });

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync(Ct));
        using var otherRefresh = await _anonymous.RefreshAsync(other.RefreshToken);
        await otherRefresh.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        using var me = await member.Client.GetAsync("/api/v1/me", Ct);
        me.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var ownRefresh = await _anonymous.RefreshAsync(member.RefreshToken);
        ownRefresh.StatusCode.ShouldBe(HttpStatusCode.OK);
        await _anonymous.LoggedInAsync(member.Email, newPassword);
        using var oldPassword = await _anonymous.LoginAsync(member.Email, member.Password);
        oldPassword.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task PatchOrganization_AsAViewer_Is403Problem()
    {
        var admin = await host.Identity.RegisterAsync();
        var viewer = await host.Identity.AddMemberAsync(admin, "viewer");

        using var response = await viewer.Client.PatchJsonAsync("/api/v1/organization", new { name = "Taken over" });

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var organization = await admin.Client.GetFromJsonAsync<JsonElement>("/api/v1/organization", Ct);
        organization.GetProperty("name").GetString().ShouldNotBe("Taken over");
    }

    [Fact]
    public async Task PatchOrganization_AsItsAdmin_Is200()
    {
        var admin = await host.Identity.RegisterAsync();

        using var response = await admin.Client.PatchJsonAsync("/api/v1/organization", new { name = "Renamed Org" });

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
    }
}
