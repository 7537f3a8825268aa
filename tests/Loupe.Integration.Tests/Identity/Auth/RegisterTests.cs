using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Identity.Auth;

public sealed class RegisterTests(AuthHost host) : ResetBeforeEachTest(host), IClassFixture<AuthHost>
{
    private readonly HttpClient _anonymous = host.Anonymous;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Register_InANewOrganization_Is201WithTokensAndLocation_AndMakesTheCallerItsAdmin()
    {
        var email = AuthApi.NewEmail("founder");
        var organization = "Founders " + Guid.NewGuid().ToString("N")[..6];

        using var response = await _anonymous.RegisterAsync(email, name: "Grace Hopper", organizationName: organization);

        var tokens = await response.ShouldBeTokensAsync(HttpStatusCode.Created);
        response.Headers.Location!.OriginalString.ShouldBe("/api/v1/me");
        using var client = host.Identity.ClientWith(tokens.AccessToken);
        var me = await client.GetFromJsonAsync<JsonElement>("/api/v1/me", Ct);
        me.GetProperty("email").GetString().ShouldBe(email);
        me.GetProperty("name").GetString().ShouldBe("Grace Hopper");
        me.GetProperty("role").GetString().ShouldBe("admin");
        me.GetProperty("organization").GetProperty("name").GetString().ShouldBe(organization);
        me.GetProperty("organization").GetProperty("id").GetGuid().ShouldNotBe(Guid.Empty);
    }

    [Fact]
    public async Task Register_NormalizesTheEmailToLowerCase()
    {
        var local = "Mixed.Case." + Guid.NewGuid().ToString("N");
        var tokens = await _anonymous.RegisteredAsync($"{local}@Example.COM");

        using var client = host.Identity.ClientWith(tokens.AccessToken);
        var me = await client.GetFromJsonAsync<JsonElement>("/api/v1/me", Ct);

        me.GetProperty("email").GetString().ShouldBe($"{local.ToLowerInvariant()}@example.com");
        await _anonymous.LoggedInAsync($"{local.ToLowerInvariant()}@example.com");
    }

    [Theory]
    [InlineData("same")]
    [InlineData("upper")]
    public async Task Register_WithAnEmailAlreadyTaken_InAnyCase_Is409Problem(string variant)
    {
        var email = AuthApi.NewEmail("taken");
        await _anonymous.RegisteredAsync(email);

        using var again = await _anonymous.RegisterAsync(variant == "upper" ? email.ToUpperInvariant() : email);

        await again.ShouldBeProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Register_WithInvalidEmailShortPasswordAndNoName_Is400NamingEveryField()
    {
        using var response = await _anonymous.PostJsonAsync("/api/v1/auth/register", new { email = "not-an-email", password = "short" });

        await response.ShouldBeValidationProblemAsync("email", "password", "name");
    }

    [Fact]
    public async Task Register_WithThePasswordEqualToTheEmail_Is400NamingPassword()
    {
        var email = AuthApi.NewEmail("echo");

        using var response = await _anonymous.RegisterAsync(email, password: email.ToUpperInvariant());

        await response.ShouldBeValidationProblemAsync("password");
    }

    [Fact]
    public async Task Register_WithABlankName_Is400NamingName()
    {
        using var response = await _anonymous.RegisterAsync(AuthApi.NewEmail(), name: "   ");

        await response.ShouldBeValidationProblemAsync("name");
    }

    [Fact]
    public async Task Register_WithAnUnknownJsonField_Is400Problem()
    {
        var json = $$"""{"email":"{{AuthApi.NewEmail()}}","password":"{{AuthApi.Password}}","name":"Eve","is_instance_admin":true}""";

        using var response = await _anonymous.PostRawAsync("/api/v1/auth/register", json);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Register_ASecondPerson_IsNotAnInstanceAdmin()
    {
        await _anonymous.RegisteredAsync(AuthApi.NewEmail("first"));
        var tokens = await _anonymous.RegisteredAsync(AuthApi.NewEmail("second"));

        using var client = host.Identity.ClientWith(tokens.AccessToken);
        var me = await client.GetFromJsonAsync<JsonElement>("/api/v1/me", Ct);

        me.GetProperty("is_instance_admin").GetBoolean().ShouldBeFalse();
    }

    [Theory]
    [InlineData("viewer")]
    [InlineData("editor")]
    [InlineData("admin")]
    public async Task Register_WithAnInvitation_JoinsTheInvitingOrganizationWithTheInvitedRole(string role)
    {
        var admin = await host.Identity.RegisterAsync();
        var email = AuthApi.NewEmail("invited");
        var invitation = await InviteAsync(admin, email, role);

        using var response = await _anonymous.PostJsonAsync(
            "/api/v1/auth/register", new { email = email.ToUpperInvariant(), password = AuthApi.Password, name = "Invited", invitation_token = invitation.Token });

        var tokens = await response.ShouldBeTokensAsync(HttpStatusCode.Created);
        using var client = host.Identity.ClientWith(tokens.AccessToken);
        var me = await client.GetFromJsonAsync<JsonElement>("/api/v1/me", Ct);
        me.GetProperty("organization").GetProperty("id").GetGuid().ShouldBe(admin.OrganizationId);
        me.GetProperty("role").GetString().ShouldBe(role);
        me.GetProperty("email").GetString().ShouldBe(email);
    }

    [Fact]
    public async Task Register_WithAnInvitationForAnotherEmail_Is400NamingEmail()
    {
        var admin = await host.Identity.RegisterAsync();
        var invitation = await InviteAsync(admin, AuthApi.NewEmail("invited"), "editor");

        using var response = await RegisterInvitedAsync(AuthApi.NewEmail("someone.else"), invitation.Token);

        await response.ShouldBeValidationProblemAsync("email");
    }

    [Fact]
    public async Task Register_WithAnAlreadyUsedInvitation_Is400NamingInvitationToken()
    {
        var admin = await host.Identity.RegisterAsync();
        var email = AuthApi.NewEmail("invited");
        var invitation = await InviteAsync(admin, email, "editor");
        using (var first = await RegisterInvitedAsync(email, invitation.Token))
        {
            first.StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        using var response = await RegisterInvitedAsync(AuthApi.NewEmail("second.user"), invitation.Token);

        await response.ShouldBeValidationProblemAsync("invitation_token");
    }

    [Fact]
    public async Task Register_WithARevokedInvitation_Is400NamingInvitationToken()
    {
        var admin = await host.Identity.RegisterAsync();
        var email = AuthApi.NewEmail("invited");
        var invitation = await InviteAsync(admin, email, "viewer");
        using (var revoked = await admin.Client.DeleteAsync($"/api/v1/organization/invitations/{invitation.Id}", Ct))
        {
            revoked.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        using var response = await RegisterInvitedAsync(email, invitation.Token);

        await response.ShouldBeValidationProblemAsync("invitation_token");
    }

    [Fact]
    public async Task Register_WithAGarbageInvitationToken_Is400NamingInvitationToken()
    {
        using var response = await RegisterInvitedAsync(AuthApi.NewEmail(), "lp_inv_this-is-not-a-real-token");

        await response.ShouldBeValidationProblemAsync("invitation_token");
    }

    private Task<HttpResponseMessage> RegisterInvitedAsync(string email, string token) =>
        _anonymous.PostJsonAsync("/api/v1/auth/register", new { email, password = AuthApi.Password, name = "Invited", invitation_token = token });

    private static async Task<(Guid Id, string Token)> InviteAsync(Member admin, string email, string role)
    {
        using var response = await admin.Client.PostJsonAsync("/api/v1/organization/invitations", new { email, role });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        var body = await response.ReadJsonAsync();
        return (body.GetProperty("id").GetGuid(), body.GetProperty("token").GetString()!);
    }
}
