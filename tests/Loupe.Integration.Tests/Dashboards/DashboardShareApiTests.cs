using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Loupe.Domain.Dashboards;
using Loupe.Domain.Queries.Parameters;
using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Runs;
using Loupe.Integration.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using static Loupe.Integration.Tests.Dashboards.DashboardSeed;

namespace Loupe.Integration.Tests.Dashboards;

/// <summary>
/// Share links of dashboards: made by editors with a token shown once (only its hash stored), listed
/// and revoked, audited without the token; and the public read of a link by anyone holding it: only
/// tiles and their latest results, with the link's locked values, nothing that leads elsewhere, the
/// same 404 for an unknown, revoked, expired or archived link, in the link's organization only.
/// </summary>
public sealed class DashboardShareApiTests(RunsApi api) : ResetBeforeEachTest(api), IClassFixture<RunsApi>
{
    private const string NotFoundCode = "dashboard_share.not_found";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(Member Admin, Member Editor, Member Viewer, Guid Source)> OrganizationAsync()
    {
        var admin = await api.Identity.RegisterAsync();
        var editor = await api.Identity.AddMemberAsync(admin, "editor");
        var viewer = await api.Identity.AddMemberAsync(admin, "viewer");
        return (admin, editor, viewer, await api.CreateSourceAsync(admin));
    }

    /// <summary>A dashboard of one visualization tile (a query with a number parameter n, mapped from the dashboard's parameter rows, default 2) and a text tile.</summary>
    private async Task<(Guid Dashboard, Guid Query, Guid Visualization)> ParameterizedDashboardAsync(Member editor, Guid source, string queryName = "Secret query name")
    {
        var query = await SaveQueryAsync(editor, source, parameterized: true, name: queryName);
        var visualization = await VisualizationAsync(api.AppConnection, editor, query, name: "Shared chart");
        var dashboard = await DashboardAsync(
            api.AppConnection,
            editor,
            [visualization],
            text: "**Totals** <script>alert(1)</script> [x](javascript:alert(2))",
            parameters: [ParameterDefinition.Create("rows", ParameterType.Number, defaultValue: ParameterValue.OfNumber("2"))],
            mappings: tiles => [ParameterMapping.FromDashboard(tiles[0].Id, "n", "rows")]);
        return (dashboard, query, visualization);
    }

    private static async Task<JsonElement> ShareAsync(Member member, Guid dashboard, object? body = null)
    {
        using var response = await member.Client.PostAsJsonAsync($"/api/v1/dashboards/{dashboard}/shares", body ?? new { }, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        var share = JsonDocument.Parse(text).RootElement;
        response.Headers.Location!.ToString().ShouldBe($"/api/v1/dashboards/{dashboard}/shares/{share.GetProperty("id").GetGuid()}");
        return share;
    }

    private async Task<HttpResponseMessage> PublicAsync(string token, string query = "")
    {
        using var client = api.Identity.Anonymous();
        return await client.GetAsync($"/api/v1/public/dashboards/{Uri.EscapeDataString(token)}{query}", Ct);
    }

    private async Task<(JsonElement Body, string Text)> PublicOkAsync(string token)
    {
        using var response = await PublicAsync(token);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        return (JsonDocument.Parse(text).RootElement, text);
    }

    private async Task<JsonElement> PublicNotFoundAsync(string token)
    {
        using var response = await PublicAsync(token);
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        problem.GetProperty("code").GetString().ShouldBe(NotFoundCode);
        return problem;
    }

    private static string TokenOf(JsonElement share) => share.GetProperty("token").GetString()!;

    private static JsonElement PublicTile(JsonElement body, string id) =>
        body.GetProperty("tiles").EnumerateArray().Single(t => t.GetProperty("id").GetString() == id);

    private async Task ArchiveAsync(Member owner, Guid dashboard, bool archived)
    {
        await using var context = TenantData.Context(api.AppConnection, owner.OrganizationId);
        var stored = await context.Set<Dashboard>().SingleAsync(d => d.Id == dashboard, Ct);
        (archived ? stored.Archive(DateTimeOffset.UtcNow) : stored.Restore(DateTimeOffset.UtcNow)).ShouldBeTrue();
        await context.SaveChangesAsync(Ct);
    }

    private async Task OwnerSqlAsync(string sql, params object[] values)
    {
        await using var connection = new NpgsqlConnection(api.OwnerConnection);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync(Ct);
    }

    [Fact]
    public async Task Create_ShowsTheTokenOnce_ListsOnlyItsPrefix_AndStoresOnlyItsHash()
    {
        var (_, editor, _, source) = await OrganizationAsync();
        var (dashboard, _, _) = await ParameterizedDashboardAsync(editor, source);
        var expiresAt = DateTimeOffset.UtcNow.AddDays(7);

        var share = await ShareAsync(editor, dashboard, new { label = "For the board", expires_at = expiresAt, locked_parameters = new { rows = 4 } });

        var token = TokenOf(share);
        token.ShouldStartWith("lp_ds_");
        token.Length.ShouldBeGreaterThan(40);
        share.GetProperty("path").GetString().ShouldBe($"/api/v1/public/dashboards/{token}");
        share.GetProperty("prefix").GetString().ShouldBe(token[..12]);
        share.GetProperty("dashboard_id").GetGuid().ShouldBe(dashboard);
        share.GetProperty("label").GetString().ShouldBe("For the board");
        share.GetProperty("status").GetString().ShouldBe("active");
        share.GetProperty("locked_parameters").GetProperty("rows").GetInt32().ShouldBe(4);
        share.GetProperty("creator_id").GetGuid().ShouldBe(editor.UserId);
        share.GetProperty("expires_at").GetDateTimeOffset().ShouldBe(expiresAt, TimeSpan.FromMilliseconds(1));

        using var list = await editor.Client.GetAsync($"/api/v1/dashboards/{dashboard}/shares", Ct);
        var listed = await list.Content.ReadAsStringAsync(Ct);
        list.StatusCode.ShouldBe(HttpStatusCode.OK, listed);
        listed.ShouldNotContain(token);
        var row = JsonDocument.Parse(listed).RootElement.GetProperty("data").EnumerateArray().ShouldHaveSingleItem();
        row.GetProperty("id").GetGuid().ShouldBe(share.GetProperty("id").GetGuid());
        row.GetProperty("prefix").GetString().ShouldBe(token[..12]);
        row.TryGetProperty("token", out _).ShouldBeFalse();
        row.GetProperty("status").GetString().ShouldBe("active");
        JsonDocument.Parse(listed).RootElement.GetProperty("pagination").GetProperty("total").GetInt32().ShouldBe(1);

        await using var connection = new NpgsqlConnection(api.OwnerConnection);
        await connection.OpenAsync(Ct);
        await using var read = new NpgsqlCommand("SELECT token_hash, row_to_json(s)::text FROM dashboard_shares s", connection);
        await using var reader = await read.ExecuteReaderAsync(Ct);
        (await reader.ReadAsync(Ct)).ShouldBeTrue();
        reader.GetString(0).ShouldBe(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))));
        reader.GetString(1).ShouldNotContain(token);
    }

    [Fact]
    public async Task List_SortsAndPages_AndSaysWhichLinksStopped()
    {
        var (_, editor, _, source) = await OrganizationAsync();
        var (dashboard, _, _) = await ParameterizedDashboardAsync(editor, source);
        var b = await ShareAsync(editor, dashboard, new { label = "b" });
        var a = await ShareAsync(editor, dashboard, new { label = "a", expires_at = DateTimeOffset.UtcNow.AddHours(1) });
        var c = await ShareAsync(editor, dashboard, new { label = "c" });
        using (var revoke = await editor.Client.DeleteAsync($"/api/v1/dashboards/{dashboard}/shares/{c.GetProperty("id").GetGuid()}", Ct))
        {
            revoke.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        await OwnerSqlAsync("UPDATE dashboard_shares SET expires_at = now() - interval '1 second' WHERE id = $1", a.GetProperty("id").GetGuid());

        var byLabel = await IdentityApi.GetRowsAsync(editor.Client, $"/api/v1/dashboards/{dashboard}/shares?sort=label");
        byLabel.Select(r => r.GetProperty("label").GetString()).ShouldBe(["a", "b", "c"]);
        byLabel.Select(r => r.GetProperty("status").GetString()).ShouldBe(["expired", "active", "revoked"]);
        var newest = await IdentityApi.GetRowsAsync(editor.Client, $"/api/v1/dashboards/{dashboard}/shares?per_page=1");
        newest.ShouldHaveSingleItem().GetProperty("id").GetGuid().ShouldBe(c.GetProperty("id").GetGuid());
        (await IdentityApi.GetRowsAsync(editor.Client, $"/api/v1/dashboards/{dashboard}/shares?sort=-created_at&page=3&per_page=1"))
            .ShouldHaveSingleItem().GetProperty("id").GetGuid().ShouldBe(b.GetProperty("id").GetGuid());
        using var unknownSort = await editor.Client.GetAsync($"/api/v1/dashboards/{dashboard}/shares?sort=token_hash", Ct);
        await unknownSort.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Create_IsForEditorsSignedIn_AndChecksLockedValuesExpiryAndTheDashboard()
    {
        var (admin, editor, viewer, source) = await OrganizationAsync();
        var (dashboard, _, _) = await ParameterizedDashboardAsync(editor, source);

        using (var byViewer = await viewer.Client.PostAsJsonAsync($"/api/v1/dashboards/{dashboard}/shares", new { }, Ct))
        {
            await byViewer.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        }

        using (var viewerList = await viewer.Client.GetAsync($"/api/v1/dashboards/{dashboard}/shares", Ct))
        {
            await viewerList.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        }

        var key = await IdentityApi.CreateApiKeyAsync(admin, "admin");
        using (var keyClient = api.Identity.Anonymous())
        {
            keyClient.DefaultRequestHeaders.Add("X-API-Key", key.GetProperty("secret").GetString());
            using var byKey = await keyClient.PostAsJsonAsync($"/api/v1/dashboards/{dashboard}/shares", new { }, Ct);
            (await byKey.ShouldBeProblemAsync(HttpStatusCode.Forbidden)).GetProperty("code").GetString().ShouldBe("auth.api_key_not_allowed");
        }

        async Task<JsonElement> RefusedAsync(object body, HttpStatusCode status = HttpStatusCode.BadRequest)
        {
            using var response = await editor.Client.PostAsJsonAsync($"/api/v1/dashboards/{dashboard}/shares", body, Ct);
            return await response.ShouldBeProblemAsync(status);
        }

        (await RefusedAsync(new { locked_parameters = new { nothing = 1 } })).GetProperty("errors").TryGetProperty("locked_parameters.nothing", out _).ShouldBeTrue();
        (await RefusedAsync(new { locked_parameters = new { rows = "many" } })).GetProperty("errors").TryGetProperty("locked_parameters.rows", out _).ShouldBeTrue();
        (await RefusedAsync(new { expires_at = DateTimeOffset.UtcNow.AddMinutes(-1) })).GetProperty("errors").TryGetProperty("expires_at", out _).ShouldBeTrue();
        (await RefusedAsync(new { label = new string('x', DashboardShare.LabelMaxLength + 1) })).GetProperty("errors").TryGetProperty("label", out _).ShouldBeTrue();
        using (var missing = await editor.Client.PostAsJsonAsync($"/api/v1/dashboards/{Guid.CreateVersion7()}/shares", new { }, Ct))
        {
            await missing.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        }

        await ArchiveAsync(editor, dashboard, archived: true);
        (await RefusedAsync(new { }, HttpStatusCode.Conflict)).GetProperty("code").GetString().ShouldBe("dashboard.archived");
        (await IdentityApi.GetRowsAsync(editor.Client, $"/api/v1/dashboards/{dashboard}/shares")).ShouldBeEmpty();
    }

    [Fact]
    public async Task PublicRead_ShowsOnlyTilesAndTheirLatestResults_AndNothingThatLeadsElsewhere()
    {
        var (admin, editor, viewer, source) = await OrganizationAsync();
        var (dashboard, query, visualization) = await ParameterizedDashboardAsync(editor, source);
        var refresh = await RefreshAsync(editor, dashboard);
        var run = refresh.GetProperty("queued").EnumerateArray().ShouldHaveSingleItem().GetProperty("run_id").GetGuid();
        var share = await ShareAsync(editor, dashboard);
        var dataSource = await DashboardSeed.GetOkAsync(admin, $"/api/v1/datasources/{source}");

        var (body, text) = await PublicOkAsync(TokenOf(share));

        body.GetProperty("name").GetString()!.ShouldStartWith("Board ");
        body.GetProperty("parameter_values").GetProperty("rows").GetInt32().ShouldBe(2);
        var tile = PublicTile(body, "t0");
        tile.GetProperty("kind").GetString().ShouldBe("visualization");
        (tile.GetProperty("x").GetInt32(), tile.GetProperty("y").GetInt32(), tile.GetProperty("w").GetInt32(), tile.GetProperty("h").GetInt32()).ShouldBe((0, 0, 4, 2));
        tile.GetProperty("visualization").GetProperty("type").GetString().ShouldBe("counter");
        tile.GetProperty("visualization").GetProperty("name").GetString().ShouldBe("Shared chart");
        tile.GetProperty("visualization").GetProperty("options").GetProperty("value_column").GetString().ShouldBe("double");
        var result = tile.GetProperty("result");
        result.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ShouldBe(["n", "double"]);
        result.GetProperty("data").EnumerateArray().Select(r => r[1].GetInt64()).ShouldBe([2L, 4]);
        result.GetProperty("total_rows").GetInt64().ShouldBe(2);
        var textTile = PublicTile(body, "text");
        textTile.GetProperty("html").GetString()!.ShouldContain("<strong>Totals</strong>");
        textTile.GetProperty("html").GetString()!.ShouldNotContain("<script");
        textTile.GetProperty("html").GetString()!.ShouldNotContain("javascript:");
        textTile.TryGetProperty("text", out _).ShouldBeFalse();

        // Nothing in the whole answer leads elsewhere or tells how the numbers were made.
        string[] secrets =
        [
            dashboard.ToString(), query.ToString(), visualization.ToString(), run.ToString(), source.ToString(),
            share.GetProperty("id").GetString()!, TokenOf(share), editor.UserId.ToString(), admin.UserId.ToString(), viewer.UserId.ToString(),
            admin.OrganizationId.ToString(), dataSource.GetProperty("name").GetString()!, api.SourceDatabase, "Secret query name",
            "generate_series", "select ", "{{",
        ];
        foreach (var secret in secrets)
        {
            text.ShouldNotContain(secret, Case.Insensitive);
        }

        string[] fields = ["query", "sql", "run_id", "owner_id", "datasource_id", "organization_id", "visualization_id", "query_id", "dashboard_id", "problems"];
        foreach (var field in fields)
        {
            text.ShouldNotContain($"\"{field}\"");
        }
    }

    [Fact]
    public async Task PublicRead_UsesTheLockedValues_AndNoOthersCanBeGiven()
    {
        var (_, editor, _, source) = await OrganizationAsync();
        var (dashboard, _, _) = await ParameterizedDashboardAsync(editor, source);
        await RefreshAsync(editor, dashboard, new { parameters = new { rows = 4 } });
        await RefreshAsync(editor, dashboard);
        var locked = await ShareAsync(editor, dashboard, new { locked_parameters = new { rows = 4 } });
        var unlocked = await ShareAsync(editor, dashboard);

        var (four, _) = await PublicOkAsync(TokenOf(locked));
        four.GetProperty("parameter_values").GetProperty("rows").GetInt32().ShouldBe(4);
        PublicTile(four, "t0").GetProperty("result").GetProperty("total_rows").GetInt64().ShouldBe(4);
        var (byDefault, _) = await PublicOkAsync(TokenOf(unlocked));
        byDefault.GetProperty("parameter_values").GetProperty("rows").GetInt32().ShouldBe(2);
        PublicTile(byDefault, "t0").GetProperty("result").GetProperty("total_rows").GetInt64().ShouldBe(2);

        foreach (var overriding in new[] { "?p_rows=2", "?rows=2", "?parameters=%7B%22rows%22%3A2%7D" })
        {
            using var refused = await PublicAsync(TokenOf(locked), overriding);
            await refused.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        }

        var (again, _) = await PublicOkAsync(TokenOf(locked));
        PublicTile(again, "t0").GetProperty("result").GetProperty("total_rows").GetInt64().ShouldBe(4);
    }

    [Fact]
    public async Task Revoking_StopsTheLinkAtOnce_AndBothStepsAreAuditedWithoutTheToken()
    {
        var (admin, editor, _, source) = await OrganizationAsync();
        var (dashboard, _, _) = await ParameterizedDashboardAsync(editor, source);
        await RefreshAsync(editor, dashboard);
        var share = await ShareAsync(editor, dashboard, new { locked_parameters = new { rows = 2 }, expires_at = DateTimeOffset.UtcNow.AddDays(1) });
        var shareId = share.GetProperty("id").GetGuid();
        await PublicOkAsync(TokenOf(share));
        await PublicOkAsync(TokenOf(share));

        using (var revoke = await editor.Client.DeleteAsync($"/api/v1/dashboards/{dashboard}/shares/{shareId}", Ct))
        {
            revoke.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        await PublicNotFoundAsync(TokenOf(share));
        using (var again = await admin.Client.DeleteAsync($"/api/v1/dashboards/{dashboard}/shares/{shareId}", Ct))
        {
            again.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        using (var elsewhere = await editor.Client.DeleteAsync($"/api/v1/dashboards/{Guid.CreateVersion7()}/shares/{shareId}", Ct))
        {
            await elsewhere.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        }

        var listed = (await IdentityApi.GetRowsAsync(editor.Client, $"/api/v1/dashboards/{dashboard}/shares")).ShouldHaveSingleItem();
        listed.GetProperty("status").GetString().ShouldBe("revoked");
        listed.GetProperty("revoked_at").ValueKind.ShouldBe(JsonValueKind.String);

        using var audit = await admin.Client.GetAsync("/api/v1/audit-events?per_page=100", Ct);
        var auditText = await audit.Content.ReadAsStringAsync(Ct);
        audit.StatusCode.ShouldBe(HttpStatusCode.OK, auditText);
        auditText.ShouldNotContain(TokenOf(share));
        auditText.ShouldNotContain(share.GetProperty("prefix").GetString()!);
        var events = JsonDocument.Parse(auditText).RootElement.GetProperty("data").EnumerateArray()
            .Where(e => e.GetProperty("target_type").GetString() == "dashboard_share").ToList();
        events.Select(e => e.GetProperty("action").GetString()).ShouldBe(["dashboard.share_revoked", "dashboard.share_created"]);
        events.ShouldAllBe(e => e.GetProperty("target_id").GetGuid() == shareId);
        var created = events[1];
        created.GetProperty("actor_id").GetGuid().ShouldBe(editor.UserId);
        created.GetProperty("details").GetProperty("dashboard_id").GetGuid().ShouldBe(dashboard);
        created.GetProperty("details").GetProperty("locked_parameters").GetString().ShouldBe("rows");
        created.GetProperty("details").TryGetProperty("expires_at", out _).ShouldBeTrue();
        events[0].GetProperty("actor_id").GetGuid().ShouldBe(editor.UserId);
    }

    [Fact]
    public async Task ExpiryPassed_RevokedLink_ArchivedDashboard_AndUnknownToken_AnswerTheSame404()
    {
        var (_, editor, _, source) = await OrganizationAsync();
        var (dashboard, _, _) = await ParameterizedDashboardAsync(editor, source);
        var (other, _, _) = await ParameterizedDashboardAsync(editor, source, "Other query");
        var expiring = await ShareAsync(editor, dashboard, new { expires_at = DateTimeOffset.UtcNow.AddHours(1) });
        var revoked = await ShareAsync(editor, dashboard);
        var archived = await ShareAsync(editor, other);
        foreach (var share in new[] { expiring, revoked, archived })
        {
            await PublicOkAsync(TokenOf(share));
        }

        await OwnerSqlAsync("UPDATE dashboard_shares SET expires_at = now() - interval '1 millisecond' WHERE id = $1", expiring.GetProperty("id").GetGuid());
        using (var revoke = await editor.Client.DeleteAsync($"/api/v1/dashboards/{dashboard}/shares/{revoked.GetProperty("id").GetGuid()}", Ct))
        {
            revoke.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        await ArchiveAsync(editor, other, archived: true);

        var unknown = await PublicNotFoundAsync("lp_ds_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_'));
        foreach (var problem in new[] { await PublicNotFoundAsync(TokenOf(expiring)), await PublicNotFoundAsync(TokenOf(revoked)), await PublicNotFoundAsync(TokenOf(archived)), await PublicNotFoundAsync("nonsense") })
        {
            foreach (var member in new[] { "type", "title", "status", "detail", "code" })
            {
                problem.GetProperty(member).GetRawText().ShouldBe(unknown.GetProperty(member).GetRawText(), member);
            }
        }

        // Restoring the dashboard brings its unrevoked, unexpired link back.
        await ArchiveAsync(editor, other, archived: false);
        await PublicOkAsync(TokenOf(archived));
    }

    [Fact]
    public async Task PublicRead_RunsInTheLinksOrganization_WhoeverAsks_AndNeverReadsAcross()
    {
        var (adminA, editorA, _, sourceA) = await OrganizationAsync();
        var (adminB, editorB, _, sourceB) = await OrganizationAsync();
        var (dashboardA, queryA, _) = await ParameterizedDashboardAsync(editorA, sourceA, "Alpha query");
        var (dashboardB, _, _) = await ParameterizedDashboardAsync(editorB, sourceB, "Bravo query");
        await RefreshAsync(editorB, dashboardB);
        var shareB = await ShareAsync(editorB, dashboardB);

        // A member of A opening B's link reads it as anyone would: B's dashboard, nothing of A's.
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/public/dashboards/{TokenOf(shareB)}");
        using var response = await adminA.Client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        PublicTile(JsonDocument.Parse(text).RootElement, "t0").GetProperty("result").GetProperty("total_rows").GetInt64().ShouldBe(2);
        foreach (var secret in new[] { dashboardA.ToString(), queryA.ToString(), adminA.OrganizationId.ToString(), "Alpha query" })
        {
            text.ShouldNotContain(secret, Case.Insensitive);
        }

        // A's members cannot see, make or revoke B's links.
        using (var list = await adminA.Client.GetAsync($"/api/v1/dashboards/{dashboardB}/shares", Ct))
        {
            await list.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        }

        using (var revoke = await adminA.Client.DeleteAsync($"/api/v1/dashboards/{dashboardA}/shares/{shareB.GetProperty("id").GetGuid()}", Ct))
        {
            await revoke.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        }

        await PublicOkAsync(TokenOf(shareB));

        // A link row of A naming B's dashboard (forged past the application) shows nothing: the read runs in A under row-level security.
        var forged = "lp_ds_forged" + Guid.NewGuid().ToString("N");
        await OwnerSqlAsync(
            "INSERT INTO dashboard_shares (id, organization_id, dashboard_id, token_hash, prefix, locked_values, created_at) VALUES ($1, $2, $3, $4, 'lp_ds_forged', '{}', now())",
            Guid.CreateVersion7(), adminA.OrganizationId, dashboardB, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(forged))));
        await PublicNotFoundAsync(forged);
        (await IdentityApi.GetRowsAsync(adminB.Client, $"/api/v1/dashboards/{dashboardB}/shares")).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task PublicRead_CountsAgainstTheBudgetOfCallersNobodyIsSignedInFor()
    {
        var (_, editor, _, source) = await OrganizationAsync();
        var (dashboard, _, _) = await ParameterizedDashboardAsync(editor, source);
        var share = await ShareAsync(editor, dashboard);
        await using var limited = new LoupeApiFactory(api.AppConnection, api.OwnerConnection, settings: new Dictionary<string, string?> { ["RateLimits:GlobalPerMinute"] = "3" });
        using var client = limited.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            using var allowed = await client.GetAsync($"/api/v1/public/dashboards/{TokenOf(share)}", Ct);
            allowed.StatusCode.ShouldBe(HttpStatusCode.OK, await allowed.Content.ReadAsStringAsync(Ct));
            allowed.Headers.GetValues("RateLimit-Limit").Single().ShouldBe("3");
        }

        using var refused = await client.GetAsync($"/api/v1/public/dashboards/{TokenOf(share)}", Ct);
        (await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests)).GetProperty("code").GetString().ShouldBe("rate_limited");
        using var unknown = await client.GetAsync("/api/v1/public/dashboards/lp_ds_guess", Ct);
        await unknown.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
    }
}
