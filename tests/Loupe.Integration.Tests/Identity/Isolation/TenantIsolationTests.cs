// The tenant-isolation matrix (ADR 0017): for every endpoint that takes an id, another
// organization's id answers 404 (never 403, so ids cannot be probed) and changes nothing; no list
// endpoint leaks another organization's ids or emails.
//
// Adding a future resource is ONE line:
//   - an endpoint with an id: one IsolationCase line in ByIdCases (method, path with {id}, which id
//     of the victim's Resources to use, and the body if it needs one; "{id}" inside the body is
//     replaced too, for an id that travels in the body);
//   - a list endpoint: one path in ListEndpoints.
// Only a new kind of resource also needs a property on Resources, filled in by SeedAsync (and its
// ids added to Resources.Secrets so list answers are checked for them).
//
// An id in the path answers 404. An id in the body of a create (POST /runs {datasource_id}) answers
// what that endpoint answers for an id that does not exist: a 400 naming the field, as saved queries
// do for theirs; either way the answer is the same as for a missing id, so ids cannot be probed.
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Runs;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Identity.Isolation;

/// <summary>
/// One organization with something of every kind: an admin (signed in: a session), a member, an API
/// key, a pending invitation, audit events, a data source, a saved query (on a data source of its
/// own, so that the first one can be deleted), and a run of the member's on the first data source,
/// finished with a stored result.
/// </summary>
public sealed record Resources(
    Member Admin,
    Member Member,
    Guid SessionId,
    Guid ApiKeyId,
    string ApiKeyPrefix,
    string ApiKeySecret,
    Guid InvitationId,
    string InvitedEmail,
    string OrganizationName,
    IReadOnlyList<Guid> AuditEventIds,
    Guid DataSourceId,
    string DataSourceName,
    Guid SavedQueryId,
    string SavedQueryName,
    Guid QuerySourceId,
    Guid RunId,
    Guid VisualizationId,
    string VisualizationName,
    Guid CanvasId,
    string CanvasName,
    Guid DashboardId,
    string DashboardName,
    Guid DashboardShareId,
    string DashboardShareToken,
    Guid WebhookId = default,
    string WebhookName = "",
    Guid DeliveryId = default,
    Guid AlertId = default,
    string AlertName = "",
    Guid ScheduleId = default,
    string ScheduleName = "")
{
    /// <summary>Every id, email and name of this organization that another organization must never see.</summary>
    public IEnumerable<string> Secrets =>
        new[]
        {
            Admin.OrganizationId.ToString(), Admin.UserId.ToString(), Admin.Email, Member.UserId.ToString(), Member.Email,
            SessionId.ToString(), ApiKeyId.ToString(), ApiKeyPrefix, InvitationId.ToString(), InvitedEmail, OrganizationName,
            DataSourceId.ToString(), DataSourceName, SavedQueryId.ToString(), SavedQueryName, QuerySourceId.ToString(), RunId.ToString(),
            VisualizationId.ToString(), VisualizationName,
            CanvasId.ToString(), CanvasName,
            DashboardId.ToString(), DashboardName, DashboardShareId.ToString(), DashboardShareToken,
            WebhookId.ToString(), WebhookName, DeliveryId.ToString(),
            AlertId.ToString(), AlertName,
            ScheduleId.ToString(), ScheduleName,
        }.Concat(AuditEventIds.Select(id => id.ToString()));
}

/// <summary>An endpoint that acts on one resource: called by one organization with another's id.</summary>
public sealed record IsolationCase(string Method, string PathTemplate, Func<Resources, string> IdOf, object? Body)
{
    /// <summary>What another organization's id answers: 404, unless the id travels in the body (see the top of the file).</summary>
    public HttpStatusCode Refusal { get; init; } = HttpStatusCode.NotFound;

    /// <summary>
    /// The problem the caller's own resource answers when success is impossible by design (cancelling
    /// the seeded run, which has finished, is a 409); null means a 2xx.
    /// </summary>
    public HttpStatusCode? OwnAnswer { get; init; }

    public string Name => $"{Method} {PathTemplate}";

    public HttpRequestMessage RequestFor(Resources owner)
    {
        var id = IdOf(owner);
        var path = PathTemplate.Replace("{id}", id, StringComparison.Ordinal).Replace("{dashboard_id}", owner.DashboardId.ToString(), StringComparison.Ordinal);
        return new(new HttpMethod(Method), path)
        {
            Content = Body is null
                ? null
                : new StringContent(JsonSerializer.Serialize(Body).Replace("{id}", id, StringComparison.Ordinal), Encoding.UTF8, "application/json"),
        };
    }
}

/// <summary>Two organizations, A and B, with one of everything each; A's admin tries B's ids and reads every list.</summary>
public sealed partial class TenantIsolationTests(TenantIsolationTests.TwoOrganizations orgs) : IClassFixture<TenantIsolationTests.TwoOrganizations>
{
    /// <summary>Every endpoint with an id. One line per endpoint.</summary>
    public static readonly IReadOnlyList<IsolationCase> ByIdCases =
    [
        new("DELETE", "/api/v1/auth/sessions/{id}", r => r.SessionId.ToString(), null),
        new("DELETE", "/api/v1/api-keys/{id}", r => r.ApiKeyId.ToString(), null),
        new("PUT", "/api/v1/organization/users/{id}/role", r => r.Member.UserId.ToString(), new { role = "viewer" }),
        new("DELETE", "/api/v1/organization/users/{id}", r => r.Member.UserId.ToString(), null),
        new("DELETE", "/api/v1/organization/invitations/{id}", r => r.InvitationId.ToString(), null),
        new("GET", "/api/v1/datasources/{id}", r => r.DataSourceId.ToString(), null),
        new("PATCH", "/api/v1/datasources/{id}", r => r.DataSourceId.ToString(), new { name = "taken over" }),
        new("POST", "/api/v1/datasources/{id}/test", r => r.DataSourceId.ToString(), null),
        new("GET", "/api/v1/datasources/{id}/schema", r => r.DataSourceId.ToString(), null),
        new("DELETE", "/api/v1/datasources/{id}", r => r.DataSourceId.ToString(), null),
        new("GET", "/api/v1/queries/{id}", r => r.SavedQueryId.ToString(), null),
        new("PATCH", "/api/v1/queries/{id}", r => r.SavedQueryId.ToString(), new { name = "taken over" }),
        new("DELETE", "/api/v1/queries/{id}", r => r.SavedQueryId.ToString(), null),
        new("POST", "/api/v1/queries/{id}/restore", r => r.SavedQueryId.ToString(), null),
        new("POST", "/api/v1/queries/{id}/fork", r => r.SavedQueryId.ToString(), null),
        new("GET", "/api/v1/queries/{id}/versions", r => r.SavedQueryId.ToString(), null),
        new("POST", "/api/v1/queries/{id}/runs", r => r.SavedQueryId.ToString(), new { parameters = new { country = "NL" } }),
        new("POST", "/api/v1/runs", r => r.DataSourceId.ToString(), new { datasource_id = "{id}", sql = "select 1 as one" }) { Refusal = HttpStatusCode.BadRequest },
        new("GET", "/api/v1/runs/{id}", r => r.RunId.ToString(), null),
        new("POST", "/api/v1/runs/{id}/cancel", r => r.RunId.ToString(), null) { OwnAnswer = HttpStatusCode.Conflict },
        new("GET", "/api/v1/runs/{id}/results", r => r.RunId.ToString(), null),
        new("GET", "/api/v1/runs/{id}/results.csv", r => r.RunId.ToString(), null),
        new("GET", "/api/v1/runs/{id}/results.json", r => r.RunId.ToString(), null),
        new("GET", "/api/v1/visualizations/{id}", r => r.VisualizationId.ToString(), null),
        new("PATCH", "/api/v1/visualizations/{id}", r => r.VisualizationId.ToString(), new { name = "taken over" }),
        new("DELETE", "/api/v1/visualizations/{id}", r => r.VisualizationId.ToString(), null),
        new("POST", "/api/v1/visualizations/{id}/restore", r => r.VisualizationId.ToString(), null),
        new("POST", "/api/v1/visualizations", r => r.SavedQueryId.ToString(), new { query_id = "{id}", name = "taken over", type = "counter", options = new { value_column = "one" } })
        {
            Refusal = HttpStatusCode.BadRequest,
        },
        new("GET", "/api/v1/canvases/{id}", r => r.CanvasId.ToString(), null),
        new("PATCH", "/api/v1/canvases/{id}", r => r.CanvasId.ToString(), new { name = "taken over" }),
        new("PUT", "/api/v1/canvases/{id}/graph", r => r.CanvasId.ToString(), new { nodes = Array.Empty<object>(), edges = Array.Empty<object>() }),
        new("DELETE", "/api/v1/canvases/{id}", r => r.CanvasId.ToString(), null),
        new("POST", "/api/v1/canvases/{id}/restore", r => r.CanvasId.ToString(), null),
        new("POST", "/api/v1/canvases", r => r.SavedQueryId.ToString(), new { name = "borrowed", nodes = new[] { CanvasQueryNode("{id}") } }) { Refusal = HttpStatusCode.BadRequest },

        // Every change of a dashboard requires If-Match: the owner's own request without one is a 428.
        new("GET", "/api/v1/dashboards/{id}", r => r.DashboardId.ToString(), null),
        new("PATCH", "/api/v1/dashboards/{id}", r => r.DashboardId.ToString(), new { name = "taken over" }) { OwnAnswer = (HttpStatusCode)428 },
        new("DELETE", "/api/v1/dashboards/{id}", r => r.DashboardId.ToString(), null) { OwnAnswer = (HttpStatusCode)428 },
        new("POST", "/api/v1/dashboards/{id}/restore", r => r.DashboardId.ToString(), null) { OwnAnswer = (HttpStatusCode)428 },
        new("GET", "/api/v1/dashboards/{id}/versions", r => r.DashboardId.ToString(), null),
        new("GET", "/api/v1/dashboards/{id}/versions/1", r => r.DashboardId.ToString(), null),
        new("POST", "/api/v1/dashboards/{id}/versions/1/restore", r => r.DashboardId.ToString(), null) { OwnAnswer = (HttpStatusCode)428 },
        new("POST", "/api/v1/dashboards/{id}/refresh", r => r.DashboardId.ToString(), null),
        new("POST", "/api/v1/dashboards/{id}/shares", r => r.DashboardId.ToString(), new { label = "taken over" }),
        new("GET", "/api/v1/dashboards/{id}/shares", r => r.DashboardId.ToString(), null),
        new("DELETE", "/api/v1/dashboards/{dashboard_id}/shares/{id}", r => r.DashboardShareId.ToString(), null),
        new("GET", "/api/v1/webhooks/{id}", r => r.WebhookId.ToString(), null),
        new("PATCH", "/api/v1/webhooks/{id}", r => r.WebhookId.ToString(), new { name = "taken over" }),
        new("POST", "/api/v1/webhooks/{id}/rotate-secret", r => r.WebhookId.ToString(), null),
        new("POST", "/api/v1/webhooks/{id}/test", r => r.WebhookId.ToString(), null),
        new("GET", "/api/v1/webhooks/{id}/deliveries", r => r.WebhookId.ToString(), null),
        new("POST", "/api/v1/deliveries/{id}/redeliver", r => r.DeliveryId.ToString(), null),
        new("DELETE", "/api/v1/webhooks/{id}", r => r.WebhookId.ToString(), null),
        new("GET", "/api/v1/alerts/{id}", r => r.AlertId.ToString(), null),
        new("PATCH", "/api/v1/alerts/{id}", r => r.AlertId.ToString(), new { name = "taken over", muted = true }),
        new("DELETE", "/api/v1/alerts/{id}", r => r.AlertId.ToString(), null),
        new("POST", "/api/v1/alerts/{id}/restore", r => r.AlertId.ToString(), null),
        new("POST", "/api/v1/alerts", r => r.SavedQueryId.ToString(), new { query_id = "{id}", name = "taken over", condition = new { selector = "row_count", op = ">", value = 0 } })
        {
            Refusal = HttpStatusCode.BadRequest,
        },
        new("GET", "/api/v1/schedules/{id}", r => r.ScheduleId.ToString(), null),
        new("PATCH", "/api/v1/schedules/{id}", r => r.ScheduleId.ToString(), new { name = "taken over" }),
        new("DELETE", "/api/v1/schedules/{id}", r => r.ScheduleId.ToString(), null),
        new("POST", "/api/v1/schedules/{id}/restore", r => r.ScheduleId.ToString(), null),
        new("POST", "/api/v1/schedules/{id}/trigger", r => r.ScheduleId.ToString(), null),
        new("POST", "/api/v1/schedules", r => r.SavedQueryId.ToString(), new { query_id = "{id}", name = "taken over", cron = "0 0 1 1 *", parameters = new { country = "NL" } }) { Refusal = HttpStatusCode.BadRequest },
    ];

    /// <summary>Every list (and single-object read) endpoint. One line per endpoint.</summary>
    public static readonly IReadOnlyList<string> ListEndpoints =
    [
        "/api/v1/auth/sessions",
        "/api/v1/api-keys",
        "/api/v1/organization/users",
        "/api/v1/organization/invitations",
        "/api/v1/datasources",
        "/api/v1/queries",
        "/api/v1/runs",
        "/api/v1/audit-events",
        "/api/v1/visualizations",
        "/api/v1/canvases",
        "/api/v1/dashboards",
        "/api/v1/webhooks",
        "/api/v1/alerts",
        "/api/v1/schedules",
        "/api/v1/organization",
        "/api/v1/organization/usage",
        "/api/v1/me",
    ];

    /// <summary>The endpoints of <see cref="ListEndpoints"/> that answer a page of a list.</summary>
    private static readonly HashSet<string> PagedListEndpoints =
    [
        "/api/v1/auth/sessions",
        "/api/v1/api-keys",
        "/api/v1/organization/users",
        "/api/v1/organization/invitations",
        "/api/v1/datasources",
        "/api/v1/queries",
        "/api/v1/runs",
        "/api/v1/audit-events",
        "/api/v1/visualizations",
        "/api/v1/canvases",
        "/api/v1/dashboards",
        "/api/v1/webhooks",
        "/api/v1/alerts",
        "/api/v1/schedules",
    ];

    private static readonly string[] SeededWebhookEvents = ["alert.resolved"];

    private readonly TwoOrganizations _orgs = orgs;

    /// <summary>A canvas node showing the query <paramref name="queryId"/>.</summary>
    private static object CanvasQueryNode(string queryId) =>
        new { id = "q", type = "query", ref_id = queryId, position = new { x = 0, y = 0 }, size = new { w = 200, h = 100 } };

    public static TheoryData<string> ByIdCaseNames() => [.. ByIdCases.Select(c => c.Name)];

    public static TheoryData<string> ListEndpointPaths() => [.. ListEndpoints];

    /// <summary>The list endpoints an API key may read; the others refuse every key (ApiKeyMatrixTests).</summary>
    public static TheoryData<string> KeyReadableListEndpointPaths() =>
        [.. ListEndpoints.Except(["/api/v1/auth/sessions", "/api/v1/api-keys", "/api/v1/organization/invitations"])];

    /// <summary>One database and host for the class (running the job engine, so runs finish), and the two organizations in it.</summary>
    public sealed class TwoOrganizations : IAsyncLifetime
    {
        public IdentityApi Api { get; } = new(new Dictionary<string, string?> { ["Jobs:RunInApi"] = "true" });

        public Resources A { get; private set; } = null!;

        public Resources B { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            await Api.InitializeAsync();
            A = await SeedAsync(Api, "Alpha");
            B = await SeedAsync(Api, "Bravo");
        }

        public async ValueTask DisposeAsync() => await Api.DisposeAsync();
    }

    /// <summary>Registers an organization and gives it one resource of every kind.</summary>
    public static async Task<Resources> SeedAsync(IdentityApi api, string name)
    {
        var organizationName = $"{name} {Guid.NewGuid():N}";
        var admin = await api.Identity.RegisterAsync(IdentityApi.NewEmail(name.ToLowerInvariant()), organizationName);
        var member = await api.Identity.AddMemberAsync(admin, "editor");
        var key = await IdentityApi.CreateApiKeyAsync(admin, "admin");
        var invitedEmail = IdentityApi.NewEmail($"{name.ToLowerInvariant()}.invitee");
        var invitation = await IdentityApi.InviteAsync(admin, invitedEmail);
        var dataSource = await IdentityApi.CreateReachableDataSourceAsync(admin, $"{name} source {Guid.NewGuid():N}");
        var dataSourceId = dataSource.GetProperty("id").GetGuid();

        // Reachable too, so that running the saved query (no such table there) fails at once instead of retrying.
        var querySource = await IdentityApi.CreateReachableDataSourceAsync(admin, $"{name} query source {Guid.NewGuid():N}");
        var query = await IdentityApi.CreateSavedQueryAsync(member, querySource.GetProperty("id").GetGuid(), $"{name} query {Guid.NewGuid():N}");
        Guid canvasId;
        var runId = (await RunsApi.StartAsync(member, dataSourceId, "select 1 as one")).GetProperty("id").GetGuid();
        var visualization = await IdentityApi.CreateVisualizationAsync(member, query.GetProperty("id").GetGuid(), $"{name} visualization {Guid.NewGuid():N}");
        (await RunsApi.FinishedAsync(member, runId)).GetProperty("status").GetString().ShouldBe("succeeded");
        var dashboard = await CreateDashboardAsync(member, $"{name} dashboard {Guid.NewGuid():N}");
        var session = (await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/auth/sessions")).Single(s => s.GetProperty("current").GetBoolean());
        var canvasName = $"{name} canvas {Guid.NewGuid():N}";
        using (var canvas = await member.Client.PostAsJsonAsync(
            "/api/v1/canvases", new { name = canvasName, nodes = new[] { CanvasQueryNode(query.GetProperty("id").GetString()!) } }, TestContext.Current.CancellationToken))
        {
            canvas.StatusCode.ShouldBe(HttpStatusCode.Created, await canvas.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            canvasId = (await canvas.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetGuid();
        }

        var share = await IdentityApi.PostCreatedAsync(member, $"/api/v1/dashboards/{dashboard.GetProperty("id").GetGuid()}/shares", new { label = "board" });
        var (webhookId, webhookName, deliveryId) = await SeedWebhookAsync(api, admin, name);
        var alertName = $"{name} alert {Guid.NewGuid():N}";
        var alert = await IdentityApi.PostCreatedAsync(
            member, "/api/v1/alerts", new { query_id = query.GetProperty("id").GetGuid(), name = alertName, condition = new { selector = "row_count", op = ">", value = 0 }, webhook_ids = new[] { webhookId } });
        var scheduleName = $"{name} schedule {Guid.NewGuid():N}";
        var schedule = await IdentityApi.PostCreatedAsync(member, "/api/v1/schedules", new { query_id = query.GetProperty("id").GetGuid(), name = scheduleName, cron = "0 0 1 1 *", parameters = new { country = "NL" } });
        var auditEvents = await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/audit-events?per_page=100");
        auditEvents.ShouldNotBeEmpty();
        return new Resources(
            admin,
            member,
            session.GetProperty("id").GetGuid(),
            key.GetProperty("id").GetGuid(),
            key.GetProperty("prefix").GetString()!,
            key.GetProperty("secret").GetString()!,
            invitation.GetProperty("id").GetGuid(),
            invitedEmail,
            organizationName,
            [.. auditEvents.Select(e => e.GetProperty("id").GetGuid())],
            dataSourceId,
            dataSource.GetProperty("name").GetString()!,
            query.GetProperty("id").GetGuid(),
            query.GetProperty("name").GetString()!,
            querySource.GetProperty("id").GetGuid(),
            runId,
            visualization.GetProperty("id").GetGuid(),
            visualization.GetProperty("name").GetString()!,
            canvasId,
            canvasName,
            dashboard.GetProperty("id").GetGuid(),
            dashboard.GetProperty("name").GetString()!,
            share.GetProperty("id").GetGuid(),
            share.GetProperty("token").GetString()!,
            webhookId,
            webhookName,
            deliveryId,
            alert.GetProperty("id").GetGuid(),
            alertName,
            schedule.GetProperty("id").GetGuid(),
            scheduleName);
    }

    /// <summary>
    /// A disabled webhook (so nothing is delivered while the tests compare snapshots) and one failed
    /// delivery of it, written as the owner as the delivery job would have left it.
    /// </summary>
    private static async Task<(Guid WebhookId, string Name, Guid DeliveryId)> SeedWebhookAsync(IdentityApi api, Member admin, string name)
    {
        var webhookName = $"{name} webhook {Guid.NewGuid():N}";
        var webhook = await IdentityApi.PostCreatedAsync(
            admin, "/api/v1/webhooks", new { name = webhookName, url = "https://hooks.example.invalid/loupe", events = SeededWebhookEvents, enabled = false });
        var webhookId = webhook.GetProperty("webhook").GetProperty("id").GetGuid();
        var eventId = Guid.CreateVersion7();
        var deliveryId = Guid.CreateVersion7();
        await using var connection = new Npgsql.NpgsqlConnection(api.OwnerConnection);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var insert = new Npgsql.NpgsqlCommand(
            """
            WITH stored AS (
                INSERT INTO outbox_events (id, organization_id, event_type, payload, occurred_at) VALUES ($1, $2, 'alert.resolved', '{}', now()) RETURNING id)
            INSERT INTO webhook_deliveries (id, organization_id, webhook_id, event_id, event_type, status, attempts, response_code, duration_ms, created_at, last_attempt_at)
            SELECT $3, $2, $4, stored.id, 'alert.resolved', 'failed', 1, 400, 12, now(), now() FROM stored
            """,
            connection);
        insert.Parameters.Add(new() { Value = eventId });
        insert.Parameters.Add(new() { Value = admin.OrganizationId });
        insert.Parameters.Add(new() { Value = deliveryId });
        insert.Parameters.Add(new() { Value = webhookId });
        await insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        return (webhookId, webhookName, deliveryId);
    }

    private static async Task<JsonElement> CreateDashboardAsync(Member editor, string name)
    {
        using var response = await editor.Client.PostAsync(
            "/api/v1/dashboards",
            new StringContent(JsonSerializer.Serialize(new { name, tiles = new[] { new { id = "note", kind = "text", text = "Hello", x = 0, y = 0, w = 6, h = 2 } } }), Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement;
    }

    [Theory]
    [MemberData(nameof(ByIdCaseNames))]
    public async Task AnotherOrganizationsId_IsNotFound_AndChangesNothing(string caseName)
    {
        var isolationCase = ByIdCases.Single(c => c.Name == caseName);
        var before = await SnapshotAsync(_orgs.B);
        before.ShouldContain(isolationCase.IdOf(_orgs.B), Case.Insensitive);

        using var request = isolationCase.RequestFor(_orgs.B);
        using var response = await _orgs.A.Admin.Client.SendAsync(request, TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(isolationCase.Refusal);
        (await SnapshotAsync(_orgs.B)).ShouldBe(before);
    }

    [Theory]
    [MemberData(nameof(ByIdCaseNames))]
    public async Task AnotherOrganizationsId_AnswersExactlyLikeAnIdThatDoesNotExist(string caseName)
    {
        var isolationCase = ByIdCases.Single(c => c.Name == caseName);
        var nowhere = _orgs.B with
        {
            SessionId = Guid.CreateVersion7(),
            ApiKeyId = Guid.CreateVersion7(),
            InvitationId = Guid.CreateVersion7(),
            DataSourceId = Guid.CreateVersion7(),
            SavedQueryId = Guid.CreateVersion7(),
            RunId = Guid.CreateVersion7(),
            VisualizationId = Guid.CreateVersion7(),
            CanvasId = Guid.CreateVersion7(),
            DashboardId = Guid.CreateVersion7(),
            DashboardShareId = Guid.CreateVersion7(),
            WebhookId = Guid.CreateVersion7(),
            DeliveryId = Guid.CreateVersion7(),
            AlertId = Guid.CreateVersion7(),
            ScheduleId = Guid.CreateVersion7(),
            Member = _orgs.B.Member with { UserId = Guid.CreateVersion7() },
        };

        var foreign = await ProblemOfAsync(_orgs.A.Admin.Client, isolationCase.RequestFor(_orgs.B), isolationCase.Refusal);
        var missing = await ProblemOfAsync(_orgs.A.Admin.Client, isolationCase.RequestFor(nowhere), isolationCase.Refusal);

        foreign.GetProperty("type").GetString().ShouldBe(missing.GetProperty("type").GetString());
        foreign.GetProperty("title").GetString().ShouldBe(missing.GetProperty("title").GetString());
        foreign.TryGetProperty("errors", out var foreignErrors).ShouldBe(missing.TryGetProperty("errors", out var missingErrors));
        if (foreignErrors.ValueKind != JsonValueKind.Undefined)
        {
            foreignErrors.GetRawText().ShouldBe(missingErrors.GetRawText());
        }
    }

    [Theory]
    [MemberData(nameof(ByIdCaseNames))]
    public async Task TheSameCase_OnTheCallersOwnResource_Succeeds(string caseName)
    {
        // Proves each template reaches its endpoint, so the 404s above come from isolation, not from a typo.
        var isolationCase = ByIdCases.Single(c => c.Name == caseName);
        var own = await SeedAsync(_orgs.Api, "Charlie");

        using var request = isolationCase.RequestFor(own);
        using var response = await own.Admin.Client.SendAsync(request, TestContext.Current.CancellationToken);

        if (isolationCase.OwnAnswer is { } expected)
        {
            await response.ShouldBeProblemAsync(expected);
        }
        else
        {
            response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }
    }

    [Theory]
    [MemberData(nameof(ListEndpointPaths))]
    public async Task ListEndpoints_NeverShowAnotherOrganizationsIdsOrEmails(string path)
    {
        foreach (var (reader, victim) in new[] { (_orgs.A, _orgs.B), (_orgs.B, _orgs.A) })
        {
            using var response = await reader.Admin.Client.GetAsync(OnePageOf(path), TestContext.Current.CancellationToken);
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

            response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
            foreach (var secret in victim.Secrets)
            {
                text.ShouldNotContain(secret, Case.Insensitive, $"{path} as {reader.OrganizationName} shows {secret} of {victim.OrganizationName}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(KeyReadableListEndpointPaths))]
    public async Task ListEndpoints_ThroughAnApiKey_NeverShowAnotherOrganizationsIdsOrEmails(string path)
    {
        using var client = _orgs.Api.ClientWithHeader("X-API-Key", _orgs.A.ApiKeySecret);

        using var response = await client.GetAsync(OnePageOf(path), TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        foreach (var secret in _orgs.B.Secrets)
        {
            text.ShouldNotContain(secret, Case.Insensitive);
        }
    }

    [Fact]
    public async Task AnotherOrganizationsShareLink_ShowsOnlyThatOrganizationsDashboard_WhoeverOpensIt()
    {
        using var response = await _orgs.A.Admin.Client.GetAsync($"/api/v1/public/dashboards/{_orgs.B.DashboardShareToken}", TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        text.ShouldContain(_orgs.B.DashboardName);
        foreach (var secret in _orgs.A.Secrets.Concat(_orgs.B.Secrets).Where(secret => secret != _orgs.B.DashboardName))
        {
            text.ShouldNotContain(secret, Case.Insensitive);
        }
    }

    [Fact]
    public async Task AlternatingRequestsFromBothOrganizations_EachOnlyEverSeeItsOwnUsers()
    {
        var ownUsers = new Dictionary<Resources, Guid[]>
        {
            [_orgs.A] = [_orgs.A.Admin.UserId, _orgs.A.Member.UserId],
            [_orgs.B] = [_orgs.B.Admin.UserId, _orgs.B.Member.UserId],
        };

        for (var i = 0; i < 50; i++)
        {
            foreach (var org in new[] { _orgs.A, _orgs.B })
            {
                var users = await IdentityApi.GetRowsAsync(org.Admin.Client, "/api/v1/organization/users?per_page=100");
                users.Select(u => u.GetProperty("id").GetGuid()).ShouldBe(ownUsers[org], ignoreOrder: true, $"request {i} of {org.OrganizationName}");
            }
        }
    }

    [Fact]
    public async Task ConcurrentRequestsFromBothOrganizations_ThroughTokensAndKeys_EachOnlyEverSeeItsOwnRows()
    {
        using var keyA = _orgs.Api.ClientWithHeader("X-API-Key", _orgs.A.ApiKeySecret);
        using var keyB = _orgs.Api.ClientWithHeader("X-API-Key", _orgs.B.ApiKeySecret);
        var callers = new (HttpClient Client, Resources Org)[] { (_orgs.A.Admin.Client, _orgs.A), (keyB, _orgs.B), (keyA, _orgs.A), (_orgs.B.Admin.Client, _orgs.B) };

        var results = await Task.WhenAll(Enumerable.Range(0, 80).Select(async i =>
        {
            var (client, org) = callers[i % callers.Length];
            var users = await IdentityApi.GetRowsAsync(client, "/api/v1/organization/users?per_page=100");
            var organization = await IdentityApi.GetOkAsync(client, "/api/v1/organization");
            return (org, users: users.Select(u => u.GetProperty("id").GetGuid()).ToHashSet(), organizationId: organization.GetProperty("id").GetGuid());
        }));

        foreach (var (org, users, organizationId) in results)
        {
            organizationId.ShouldBe(org.Admin.OrganizationId);
            users.SetEquals([org.Admin.UserId, org.Member.UserId]).ShouldBeTrue($"{org.OrganizationName} saw {string.Join(", ", users)}");
        }
    }

    /// <summary>A list as one page of 100; the other reads take no query parameters (an unknown one is a 400).</summary>
    private static string OnePageOf(string path) => PagedListEndpoints.Contains(path) ? path + "?per_page=100" : path;

    [GeneratedRegex("\"last_used_at\":\"[^\"]*\"")]
    private static partial Regex LastUse();

    [GeneratedRegex("\"time_window\":\\{[^}]*\\}")]
    private static partial Regex TimeWindow();

    /// <summary>Everything B's admin can see of B, as text, to compare before and after A's attempt.</summary>
    private static async Task<string> SnapshotAsync(Resources owner)
    {
        var parts = new List<string>();

        // A webhook's delivery log is listed under its webhook.
        foreach (var path in ListEndpoints.Append($"/api/v1/webhooks/{owner.WebhookId}/deliveries"))
        {
            using var response = await owner.Admin.Client.GetAsync(OnePageOf(path), TestContext.Current.CancellationToken);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

            // B's admin's own requests move their session's last use (once a minute), and a canvas's
            // time window is resolved at each read (its preset stays in the text): not A's doing.
            parts.Add($"{path}: {TimeWindow().Replace(LastUse().Replace(text, "\"last_used_at\":\"…\""), "\"time_window\":…")}");
        }

        return string.Join('\n', parts);
    }

    private static async Task<JsonElement> ProblemOfAsync(HttpClient client, HttpRequestMessage request, HttpStatusCode status)
    {
        using (request)
        {
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            return await response.ShouldBeProblemAsync(status);
        }
    }
}
