using System.Net;
using System.Net.Http.Json;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Identity.Organization;

/// <summary>The audit trail of admin actions and auth events (<c>GET /audit-events</c>, admin only).</summary>
public sealed class AuditEventTests(IdentityApi api) : ResetBeforeEachTest(api), IClassFixture<IdentityApi>
{
    private const string UserAgent = "LoupeOrgTests/1.0";
    private readonly IdentityDriver _identity = api.Identity;

    [Fact]
    public async Task List_AsAdmin_ShowsTheActorAndTheOriginOfTheRequestThatCausedIt()
    {
        var admin = await _identity.RegisterAsync();
        var requestId = $"orgtests-{Guid.NewGuid():N}";
        using var request = new HttpRequestMessage(HttpMethod.Patch, "/api/v1/organization")
        {
            Content = JsonContent.Create(new { name = "Audited Co" }),
        };
        request.Headers.Add("X-Request-Id", requestId);
        request.Headers.UserAgent.ParseAdd(UserAgent);

        string loupesId;
        using (var response = await admin.Client.SendAsync(request, TestContext.Current.CancellationToken))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            response.Headers.GetValues("X-Client-Request-Id").Single().ShouldBe(requestId);
            loupesId = response.Headers.GetValues("X-Request-Id").Single();
            loupesId.ShouldNotBe(requestId);
        }

        var events = await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/audit-events");
        events.Select(e => e.GetProperty("action").GetString()).ShouldContain("auth.registered");
        var updated = events.Single(e => e.GetProperty("action").GetString() == "organization.updated");
        updated.GetProperty("actor_id").GetGuid().ShouldBe(admin.UserId);
        updated.GetProperty("target_type").GetString().ShouldBe("organization");
        updated.GetProperty("target_id").GetGuid().ShouldBe(admin.OrganizationId);
        updated.GetProperty("request_id").GetString().ShouldBe(loupesId);
        updated.GetProperty("client_request_id").GetString().ShouldBe(requestId);
        updated.GetProperty("user_agent").GetString().ShouldBe(UserAgent);
        updated.GetProperty("ip_address").GetString()!.ShouldContain("127.0.0.1");
        updated.GetProperty("occurred_at").GetDateTimeOffset().ShouldBeInRange(DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task List_IsNewestFirst()
    {
        var admin = await _identity.RegisterAsync();
        await IdentityApi.InviteAsync(admin, IdentityApi.NewEmail());

        var events = await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/audit-events");

        var times = events.Select(e => e.GetProperty("occurred_at").GetDateTimeOffset()).ToList();
        times.ShouldBe(times.OrderDescending().ToList());
        events[0].GetProperty("action").GetString().ShouldBe("invitation.created");
    }

    [Fact]
    public async Task List_FiltersByActionAndByActor()
    {
        var admin = await _identity.RegisterAsync();
        var second = await _identity.AddMemberAsync(admin, "admin");
        await IdentityApi.InviteAsync(admin, IdentityApi.NewEmail());
        await IdentityApi.InviteAsync(second, IdentityApi.NewEmail());
        await IdentityApi.InviteAsync(second, IdentityApi.NewEmail());

        var invitations = await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/audit-events?action=invitation.created");
        var bySecond = await IdentityApi.GetRowsAsync(admin.Client, $"/api/v1/audit-events?actor_id={second.UserId}");
        var invitationsBySecond = await IdentityApi.GetRowsAsync(
            admin.Client, $"/api/v1/audit-events?action=invitation.created&actor_id={second.UserId}");

        invitations.Count.ShouldBe(4);
        invitations.ShouldAllBe(e => e.GetProperty("action").GetString() == "invitation.created");
        bySecond.ShouldNotBeEmpty();
        bySecond.ShouldAllBe(e => e.GetProperty("actor_id").GetGuid() == second.UserId);
        invitationsBySecond.Count.ShouldBe(2);
        invitationsBySecond.ShouldAllBe(e => e.GetProperty("actor_id").GetGuid() == second.UserId
            && e.GetProperty("action").GetString() == "invitation.created");
    }

    [Fact]
    public async Task List_FiltersByTheTimeAnEventOccurred_UnderTheNameOfThatField()
    {
        var admin = await _identity.RegisterAsync();
        await IdentityApi.InviteAsync(admin, IdentityApi.NewEmail());
        var all = await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/audit-events?per_page=100");
        var newest = all[0].GetProperty("occurred_at").GetString()!;
        var oldest = all[^1].GetProperty("occurred_at").GetString()!;

        var after = await IdentityApi.GetRowsAsync(admin.Client, $"/api/v1/audit-events?occurred_after={Uri.EscapeDataString(newest)}");
        var before = await IdentityApi.GetRowsAsync(admin.Client, $"/api/v1/audit-events?per_page=100&occurred_before={Uri.EscapeDataString(oldest)}");
        using var old = await admin.Client.GetAsync($"/api/v1/audit-events?created_after={Uri.EscapeDataString(newest)}", TestContext.Current.CancellationToken);

        all.Count.ShouldBeGreaterThan(1);
        after.ShouldAllBe(e => e.GetProperty("occurred_at").GetDateTimeOffset() >= DateTimeOffset.Parse(newest, System.Globalization.CultureInfo.InvariantCulture));
        after.Select(e => e.GetProperty("id").GetGuid()).ShouldContain(all[0].GetProperty("id").GetGuid());
        before.Select(e => e.GetProperty("id").GetGuid()).ShouldContain(all[^1].GetProperty("id").GetGuid());
        before.Count.ShouldBeLessThan(all.Count);
        (await old.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("code").GetString().ShouldBe("unknown_query_parameter");
    }

    [Fact]
    public async Task List_WithAMalformedActorId_IsAValidationProblemNamingActorId()
    {
        var admin = await _identity.RegisterAsync();

        using var response = await admin.Client.GetAsync("/api/v1/audit-events?actor_id=not-a-uuid", TestContext.Current.CancellationToken);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").TryGetProperty("actor_id", out _).ShouldBeTrue();
    }

    [Theory]
    [InlineData("viewer")]
    [InlineData("editor")]
    public async Task List_AsNonAdmin_IsForbidden(string role)
    {
        var admin = await _identity.RegisterAsync();
        var member = await _identity.AddMemberAsync(admin, role);

        using var response = await member.Client.GetAsync("/api/v1/audit-events", TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task List_WithoutSigningIn_IsUnauthorized()
    {
        using var anonymous = _identity.Anonymous();

        using var response = await anonymous.GetAsync("/api/v1/audit-events", TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }
}
