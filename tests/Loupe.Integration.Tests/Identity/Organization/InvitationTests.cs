using System.Net;
using System.Net.Http.Json;
using Loupe.Application.Common.Security;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Identity.Organization;

/// <summary>Inviting people for 7 days, listing and revoking invitations; accepted through register.</summary>
public sealed class InvitationTests(IdentityApi api) : ResetBeforeEachTest(api), IClassFixture<IdentityApi>
{
    private readonly IdentityApi _api = api;
    private readonly IdentityDriver _identity = api.Identity;

    [Fact]
    public async Task Create_AnswersWithTheTokenAndAcceptLink_ForSevenDays_AndMailsIt()
    {
        var admin = await _identity.RegisterAsync();
        var email = IdentityApi.NewEmail("Invitee").ToUpperInvariant();
        var before = DateTimeOffset.UtcNow;

        using var response = await admin.Client.PostAsJsonAsync(
            "/api/v1/organization/invitations", new { email, role = "editor" }, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var created = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(TestContext.Current.CancellationToken);
        var id = created.GetProperty("id").GetGuid();
        response.Headers.Location!.ToString().ShouldEndWith($"/api/v1/organization/invitations/{id}");
        created.GetProperty("email").GetString().ShouldBe(email.ToLowerInvariant());
        created.GetProperty("role").GetString().ShouldBe("editor");
        var token = created.GetProperty("token").GetString()!;
        token.ShouldStartWith("lp_inv");
        Uri.UnescapeDataString(created.GetProperty("accept_url").GetString()!).ShouldContain(token);
        var expiresAt = created.GetProperty("expires_at").GetDateTimeOffset();
        expiresAt.ShouldBeInRange(before.AddDays(7).AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(7).AddMinutes(1));
        _api.Factory.Mail.TokenSentTo(email, MailKind.Invitation).ShouldBe(token);
        (await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/audit-events?action=invitation.created"))
            .ShouldHaveSingleItem().GetProperty("target_id").GetGuid().ShouldBe(id);
    }

    [Fact]
    public async Task Accepting_ThroughRegister_JoinsTheOrganizationWithTheInvitedRole()
    {
        var admin = await _identity.RegisterAsync();
        var editor = await _identity.AddMemberAsync(admin, "editor");

        var me = await IdentityApi.GetOkAsync(editor.Client, "/api/v1/me");

        me.GetProperty("organization").GetProperty("id").GetGuid().ShouldBe(admin.OrganizationId);
        me.GetProperty("role").GetString().ShouldBe("editor");
    }

    [Fact]
    public async Task List_ShowsPendingRevokedAndAcceptedInvitations_WithoutTokens()
    {
        var admin = await _identity.RegisterAsync();
        var pending = await IdentityApi.InviteAsync(admin, IdentityApi.NewEmail());
        var revoked = await IdentityApi.InviteAsync(admin, IdentityApi.NewEmail());
        await RevokeAsync(admin, revoked.GetProperty("id").GetGuid());
        var member = await _identity.AddMemberAsync(admin, "viewer");

        using var response = await admin.Client.GetAsync("/api/v1/organization/invitations", TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        var rows = System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("data").EnumerateArray().ToList();
        rows.Count.ShouldBe(3);
        rows.Single(r => r.GetProperty("id").GetGuid() == pending.GetProperty("id").GetGuid()).GetProperty("status").GetString().ShouldBe("pending");
        rows.Single(r => r.GetProperty("id").GetGuid() == revoked.GetProperty("id").GetGuid()).GetProperty("status").GetString().ShouldBe("revoked");
        rows.Single(r => r.GetProperty("email").GetString() == member.Email).GetProperty("status").GetString().ShouldBe("accepted");
        rows.ShouldAllBe(r => r.GetProperty("inviter_id").GetGuid() == admin.UserId);
        text.ShouldNotContain(pending.GetProperty("token").GetString()!);
        text.ShouldNotContain("token");
    }

    [Fact]
    public async Task Revoke_AnswersNoContent_AndTheTokenCanNoLongerRegister()
    {
        var admin = await _identity.RegisterAsync();
        var email = IdentityApi.NewEmail();
        var invitation = await IdentityApi.InviteAsync(admin, email);

        await RevokeAsync(admin, invitation.GetProperty("id").GetGuid());

        using var anonymous = _identity.Anonymous();
        using var register = await anonymous.PostAsJsonAsync(
            "/api/v1/auth/register",
            new { email, password = IdentityDriver.Password, name = "Too Late", invitation_token = invitation.GetProperty("token").GetString() },
            TestContext.Current.CancellationToken);
        var problem = await register.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").TryGetProperty("invitation_token", out _).ShouldBeTrue();
        (await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/organization/users")).Count.ShouldBe(1);
        (await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/audit-events?action=invitation.revoked")).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Create_ForAMemberOfThisOrganization_IsAConflict()
    {
        var admin = await _identity.RegisterAsync();
        var member = await _identity.AddMemberAsync(admin, "viewer");

        using var response = await admin.Client.PostAsJsonAsync(
            "/api/v1/organization/invitations", new { email = member.Email, role = "editor" }, TestContext.Current.CancellationToken);

        (await response.ShouldBeProblemAsync(HttpStatusCode.Conflict)).GetProperty("code").GetString().ShouldBe("user.email_taken");
    }

    [Fact]
    public async Task Create_ForAnAccountOfAnotherOrganization_AnswersExactlyAsForAnUnknownAddress()
    {
        var admin = await _identity.RegisterAsync();
        var elsewhere = await _identity.RegisterAsync();
        var unknown = IdentityApi.NewEmail("unknown");

        var (knownStatus, knownShape) = await InviteShapeAsync(admin, elsewhere.Email);
        var (unknownStatus, unknownShape) = await InviteShapeAsync(admin, unknown);

        knownStatus.ShouldBe(HttpStatusCode.Created);
        unknownStatus.ShouldBe(knownStatus);
        knownShape.ShouldBe(unknownShape);
        _api.Factory.Mail.TokenSentTo(elsewhere.Email, MailKind.Invitation).ShouldStartWith("lp_inv");
        _api.Factory.Mail.TokenSentTo(unknown, MailKind.Invitation).ShouldStartWith("lp_inv");
    }

    /// <summary>The status and the member names and kinds of an invitation answer, without its values.</summary>
    private static async Task<(HttpStatusCode Status, string Shape)> InviteShapeAsync(Member admin, string email)
    {
        using var response = await admin.Client.PostAsJsonAsync(
            "/api/v1/organization/invitations", new { email, role = "viewer" }, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(TestContext.Current.CancellationToken);
        var shape = string.Join(",", body.EnumerateObject().Select(p => $"{p.Name}:{p.Value.ValueKind}"));
        return (response.StatusCode, $"{response.Content.Headers.ContentType?.MediaType} {shape}");
    }

    [Theory]
    [InlineData("not-an-email", "viewer")]
    [InlineData("someone@example.com", "owner")]
    public async Task Create_WithAnInvalidEmailOrRole_IsBadRequest(string email, string role)
    {
        var admin = await _identity.RegisterAsync();

        using var response = await admin.Client.PostAsJsonAsync(
            "/api/v1/organization/invitations", new { email, role }, TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("viewer")]
    [InlineData("editor")]
    public async Task InvitationEndpoints_AsNonAdmin_AreForbidden(string role)
    {
        var admin = await _identity.RegisterAsync();
        var member = await _identity.AddMemberAsync(admin, role);
        var invitation = await IdentityApi.InviteAsync(admin, IdentityApi.NewEmail());

        using (var create = await member.Client.PostAsJsonAsync(
            "/api/v1/organization/invitations", new { email = IdentityApi.NewEmail(), role = "viewer" }, TestContext.Current.CancellationToken))
        {
            await create.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        }

        using (var list = await member.Client.GetAsync("/api/v1/organization/invitations", TestContext.Current.CancellationToken))
        {
            await list.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        }

        using (var revoke = await member.Client.DeleteAsync(
            $"/api/v1/organization/invitations/{invitation.GetProperty("id").GetGuid()}", TestContext.Current.CancellationToken))
        {
            await revoke.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        }

        (await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/organization/invitations"))
            .Single(r => r.GetProperty("id").GetGuid() == invitation.GetProperty("id").GetGuid())
            .GetProperty("status").GetString().ShouldBe("pending");
    }

    [Fact]
    public async Task Revoke_AnAcceptedInvitation_IsAConflict()
    {
        var admin = await _identity.RegisterAsync();
        var member = await _identity.AddMemberAsync(admin, "viewer");
        var accepted = (await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/organization/invitations"))
            .Single(r => r.GetProperty("email").GetString() == member.Email).GetProperty("id").GetGuid();

        using var response = await admin.Client.DeleteAsync($"/api/v1/organization/invitations/{accepted}", TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Revoke_Again_AnswersTheSame_AndRecordsNoSecondAuditEvent()
    {
        var admin = await _identity.RegisterAsync();
        var path = $"/api/v1/organization/invitations/{(await IdentityApi.InviteAsync(admin, IdentityApi.NewEmail("twice"))).GetProperty("id").GetGuid()}";

        using var first = await admin.Client.DeleteAsync(path, TestContext.Current.CancellationToken);
        using var again = await admin.Client.DeleteAsync(path, TestContext.Current.CancellationToken);

        first.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        again.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/organization/invitations?status=revoked")).ShouldHaveSingleItem();
        (await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/audit-events?action=invitation.revoked")).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Revoke_AnUnknownInvitation_IsNotFound()
    {
        var admin = await _identity.RegisterAsync();

        using var response = await admin.Client.DeleteAsync($"/api/v1/organization/invitations/{Guid.CreateVersion7()}", TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Register_WithTheTokenButAnotherEmail_IsAValidationProblemNamingEmail()
    {
        var admin = await _identity.RegisterAsync();
        var invitation = await IdentityApi.InviteAsync(admin, IdentityApi.NewEmail());
        using var anonymous = _identity.Anonymous();

        using var response = await anonymous.PostAsJsonAsync(
            "/api/v1/auth/register",
            new { email = IdentityApi.NewEmail("stranger"), password = IdentityDriver.Password, name = "Stranger", invitation_token = invitation.GetProperty("token").GetString() },
            TestContext.Current.CancellationToken);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").TryGetProperty("email", out _).ShouldBeTrue();
        (await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/organization/invitations")).Single().GetProperty("status").GetString().ShouldBe("pending");
    }

    private static async Task RevokeAsync(Member admin, Guid invitationId)
    {
        using var response = await admin.Client.DeleteAsync($"/api/v1/organization/invitations/{invitationId}", TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
