using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Loupe.Application.Common.Security;
using Loupe.Integration.Tests.Identity.Auth;
using Loupe.Integration.Tests.Jobs;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Identity.Organization;

/// <summary>A host whose mails link to a single-page app served elsewhere.</summary>
public sealed class InvitationLookupHost() : AuthHost(new Dictionary<string, string?> { ["App:PublicUrl"] = InvitationLookupTests.SpaUrl });

/// <summary>GET /invitations/{token}: what the sign-up page shows, to whoever holds a pending invitation's token.</summary>
public sealed class InvitationLookupTests(InvitationLookupHost host) : ResetBeforeEachTest(host), IClassFixture<InvitationLookupHost>
{
    public const string SpaUrl = "https://bi.example.test/app/";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task APendingInvitation_IsReadAnonymously_WithOrganizationInviterEmailRoleAndExpiry_AndItsMailLinksToTheApp()
    {
        var admin = await host.Identity.RegisterAsync(organizationName: "Lookup Co");
        var email = IdentityApi.NewEmail("lookup");
        var created = await IdentityApi.InviteAsync(admin, email, "editor");
        var token = created.GetProperty("token").GetString()!;

        // A stale token the app still sends is ignored, as on the other account-entry endpoints.
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/invitations/{Uri.EscapeDataString(token)}");
        request.Headers.Add("Authorization", "Bearer not-a-token");
        using var response = await host.Anonymous.SendAsync(request, Ct);

        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        var invitation = JsonDocument.Parse(text).RootElement;
        invitation.GetProperty("organization_name").GetString().ShouldBe("Lookup Co");
        invitation.GetProperty("inviter_name").GetString().ShouldBe((await IdentityApi.GetOkAsync(admin.Client, "/api/v1/me")).GetProperty("name").GetString());
        invitation.GetProperty("email").GetString().ShouldBe(email.ToLowerInvariant());
        invitation.GetProperty("role").GetString().ShouldBe("editor");
        // The stored time keeps microseconds; the creation answer had the clock's full precision.
        invitation.GetProperty("expires_at").GetDateTimeOffset().ShouldBe(created.GetProperty("expires_at").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        text.ShouldNotContain(token);
        text.ShouldNotContain("token_hash");

        var mail = host.Factory.Mail.Sent.Single(m => m.Kind == MailKind.Invitation && string.Equals(m.To, email, StringComparison.OrdinalIgnoreCase));
        mail.TextBody.ShouldContain($"{SpaUrl}register?invitation_token={Uri.EscapeDataString(token)}");
        created.GetProperty("accept_url").GetString().ShouldStartWith($"{SpaUrl}register?invitation_token=");
    }

    [Fact]
    public async Task UnknownUsedExpiredAndRevokedTokens_AreAllTheSame404()
    {
        var admin = await host.Identity.RegisterAsync();
        var revoked = await IdentityApi.InviteAsync(admin, IdentityApi.NewEmail("revoked"));
        var expired = await IdentityApi.InviteAsync(admin, IdentityApi.NewEmail("expired"));
        var member = await host.Identity.AddMemberAsync(admin, "viewer");
        var used = host.Factory.Mail.TokenSentTo(member.Email, MailKind.Invitation);
        (await admin.Client.DeleteAsync($"/api/v1/organization/invitations/{revoked.GetProperty("id").GetGuid()}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await JobRows.ExecuteAsync(host.DatabaseName, $"UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE id = '{expired.GetProperty("id").GetGuid()}'");

        var answers = new List<JsonElement>();
        foreach (var token in new[] { "lp_inv_" + new string('x', 40), used, expired.GetProperty("token").GetString()!, revoked.GetProperty("token").GetString()! })
        {
            using var response = await host.Anonymous.GetAsync($"/api/v1/invitations/{Uri.EscapeDataString(token)}", Ct);
            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
            problem.GetProperty("code").GetString().ShouldBe("invitation.not_found");
            answers.Add(problem);
        }

        answers.Select(a => (a.GetProperty("title").GetString(), a.GetProperty("detail").GetString())).Distinct().ShouldHaveSingleItem();
    }
}

/// <summary>Invitation lookups count against the account-entry limit (<c>RateLimits:AuthPerMinute</c>), so tokens cannot be guessed in bulk.</summary>
public sealed class InvitationLookupLimitTests(DatabaseFixture database) : ResetBeforeEachTest(database), IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Lookups_AreRateLimited_LikeTheOtherAccountEntryEndpoints()
    {
        await using var factory = LoupeApiFactory.For(database, settings: new Dictionary<string, string?> { ["RateLimits:AuthPerMinute"] = "3" });
        using var client = factory.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await client.GetAsync($"/api/v1/invitations/lp_inv_guess{i}", TestContext.Current.CancellationToken);
            statuses.Add(response.StatusCode);
        }

        using var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = "a@example.com", password = "whatever it is" }, TestContext.Current.CancellationToken);

        statuses.ShouldBe([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests]);
        await login.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
    }
}
