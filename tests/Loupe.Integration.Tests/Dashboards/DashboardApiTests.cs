using System.Net;
using System.Text.Json;
using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Support;
using static Loupe.Integration.Tests.Dashboards.DashboardsApi;

namespace Loupe.Integration.Tests.Dashboards;

/// <summary>
/// /api/v1/dashboards: everyone reads, editors write, every change under If-Match; tiles, parameters
/// and mappings are checked whole, each error naming its tile or mapping; every version is kept.
/// </summary>
public sealed class DashboardApiTests(IdentityApi api) : ResetBeforeEachTest(api), IClassFixture<IdentityApi>
{
    private static readonly string[] Ops = ["ops"];
    private static readonly string[] FinanceOps = ["Finance", "ops"];
    private readonly IdentityDriver _identity = api.Identity;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Org(Member Admin, Member Editor, Member Viewer, Guid QueryId, Guid VisualizationId, Guid OtherVisualizationId);

    /// <summary>An organization with an admin, an editor, a viewer, a query with parameters and two visualizations of it.</summary>
    private async Task<Org> OrganizationAsync()
    {
        var admin = await _identity.RegisterAsync();
        var editor = await _identity.AddMemberAsync(admin, "editor");
        var viewer = await _identity.AddMemberAsync(admin, "viewer");
        var dataSource = await IdentityApi.CreateDataSourceAsync(admin);
        var queryId = await CreateQueryAsync(editor, dataSource.GetProperty("id").GetGuid());
        var first = await CreateVisualizationAsync(api.AppConnection, editor, queryId);
        var second = await CreateVisualizationAsync(api.AppConnection, editor, queryId);
        return new Org(admin, editor, viewer, queryId, first, second);
    }

    private static object SalesDashboard(Org org) => new
    {
        name = " Sales ",
        description = "Orders of the quarter",
        tags = new[] { "Finance", " finance ", "KPI" },
        tiles = new[]
        {
            VisualizationTile("orders", org.VisualizationId, 0, 0, 12, 4),
            TextTile("note", "**Read me** <script>alert(1)</script> [x](javascript:alert(1))", 12, 0, 12, 4),
            VisualizationTile("more", org.OtherVisualizationId, 0, 4, 24, 6),
        },
        parameters = new object[]
        {
            new { name = "country", type = "enum", options = new[] { "CH", "FR" }, @default = "CH" },
        },
        parameter_mappings = new object[]
        {
            new { tile_id = "orders", query_parameter = "country", source = "dashboard", dashboard_parameter = "country" },
            new { tile_id = "more", query_parameter = "top", source = "static", value = 5 },
        },
    };

    [Fact]
    public async Task Create_AnswersTheDashboardAtVersionOne_WithLocationETagAndRenderedText()
    {
        var org = await OrganizationAsync();

        using var response = await org.Editor.Client.PostAsync(Url, System.Net.Http.Json.JsonContent.Create(SalesDashboard(org)), Ct);

        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        var created = JsonDocument.Parse(text).RootElement;
        var id = created.GetProperty("id").GetGuid();
        response.Headers.Location!.ToString().ShouldEndWith($"{Url}/{id}");
        response.Headers.ETag.ShouldNotBeNull().IsWeak.ShouldBeFalse();
        created.GetProperty("name").GetString().ShouldBe("Sales");
        created.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ShouldBe(["finance", "kpi"]);
        created.GetProperty("version").GetInt32().ShouldBe(1);
        created.GetProperty("status").GetString().ShouldBe("active");
        created.GetProperty("owner_id").GetGuid().ShouldBe(org.Editor.UserId);
        created.GetProperty("archived_at").ValueKind.ShouldBe(JsonValueKind.Null);

        var tiles = created.GetProperty("tiles").EnumerateArray().ToList();
        tiles.Select(t => t.GetProperty("id").GetString()).ShouldBe(["orders", "note", "more"]);
        tiles[0].GetProperty("kind").GetString().ShouldBe("visualization");
        tiles[0].GetProperty("visualization_id").GetGuid().ShouldBe(org.VisualizationId);
        tiles[0].GetProperty("rendered_html").ValueKind.ShouldBe(JsonValueKind.Null);
        tiles[0].GetProperty("w").GetInt32().ShouldBe(12);
        tiles[1].GetProperty("text").GetString()!.ShouldStartWith("**Read me**");
        var html = tiles[1].GetProperty("rendered_html").GetString()!;
        html.ShouldContain("<strong>Read me</strong>");
        html.ShouldNotContain("<script", Case.Insensitive);
        html.ShouldNotContain("javascript:", Case.Insensitive);

        var mappings = created.GetProperty("parameter_mappings").EnumerateArray().ToList();
        mappings[0].GetProperty("source").GetString().ShouldBe("dashboard");
        mappings[0].GetProperty("dashboard_parameter").GetString().ShouldBe("country");
        mappings[1].GetProperty("source").GetString().ShouldBe("static");
        mappings[1].GetProperty("value").GetInt32().ShouldBe(5);
        created.GetProperty("parameters")[0].GetProperty("options").EnumerateArray().Select(o => o.GetString()).ShouldBe(["CH", "FR"]);

        using var read = await SendAsync(org.Viewer, HttpMethod.Get, $"{Url}/{id}");
        // The read's tag is the row version and a digest of what it shows (results included); If-Match reads the version.
        VersionOf(read.Headers.ETag!.Tag).ShouldBe(response.Headers.ETag.Tag);
        var (fetched, _) = await OkAsync(read);
        // The read adds each tile's visualization, query and result; the tile as written is there unchanged.
        var fetchedTiles = fetched.GetProperty("tiles").EnumerateArray().ToList();
        fetchedTiles.Count.ShouldBe(tiles.Count);
        foreach (var (written, served) in tiles.Zip(fetchedTiles))
        {
            foreach (var member in written.EnumerateObject())
            {
                served.GetProperty(member.Name).GetRawText().ShouldBe(member.Value.GetRawText(), member.Name);
            }
        }

        fetched.GetProperty("parameter_mappings").GetRawText().ShouldBe(created.GetProperty("parameter_mappings").GetRawText());
        fetched.GetProperty("parameters").GetRawText().ShouldBe(created.GetProperty("parameters").GetRawText());
    }

    public static TheoryData<string, string, string> BrokenLayouts() => new()
    {
        { """[{"id":"a","kind":"text","text":"x","x":0,"y":0,"w":12,"h":4},{"id":"b","kind":"text","text":"y","x":6,"y":2,"w":12,"h":4}]""", "tiles[1]", "dashboard.tiles_overlap" },
        { """[{"id":"a","kind":"text","text":"x","x":20,"y":0,"w":6,"h":4}]""", "tiles[0]", "dashboard.tile_outside_grid" },
        { """[{"id":"a","kind":"text","text":"x","x":-1,"y":0,"w":6,"h":4}]""", "tiles[0]", "dashboard.tile_outside_grid" },
        { """[{"id":"a","kind":"text","text":"x","x":0,"y":0,"w":6,"h":4},{"id":"b","kind":"text","text":"y","x":0,"y":4,"w":0,"h":4}]""", "tiles[1]", "dashboard.tile_too_small" },
        { """[{"id":"a","kind":"text","text":"x","x":0,"y":0,"w":6,"h":0}]""", "tiles[0]", "dashboard.tile_too_small" },
        { """[{"id":"a","kind":"text","text":"x","x":0,"y":0,"w":6,"h":1},{"id":"a","kind":"text","text":"y","x":6,"y":0,"w":6,"h":1}]""", "tiles[1].id", "dashboard.tile_id_duplicate" },
        { """[{"id":"a b","kind":"text","text":"x","x":0,"y":0,"w":6,"h":1}]""", "tiles[0].id", "dashboard.tile_id_invalid" },
        { """[{"id":"a","kind":"chart","x":0,"y":0,"w":6,"h":1}]""", "tiles[0].kind", "dashboard.tile_kind_unknown" },
        { """[{"id":"a","kind":"text","x":0,"y":0,"w":6,"h":1}]""", "tiles[0].text", "dashboard.text_required" },
        { """[{"id":"a","kind":"visualization","x":0,"y":0,"w":6,"h":1}]""", "tiles[0].visualization_id", "dashboard.visualization_required" },
        { """[null]""", "tiles[0]", "dashboard.tile_missing" },
    };

    [Theory]
    [MemberData(nameof(BrokenLayouts))]
    public async Task Create_WithABrokenTile_NamesTheTileAndTheRule(string tiles, string field, string code)
    {
        var org = await OrganizationAsync();

        var problem = await ProblemAsync(
            await SendAsync(org.Editor, HttpMethod.Post, Url, JsonDocument.Parse($$"""{"name":"d","tiles":{{tiles}}}""").RootElement),
            HttpStatusCode.BadRequest);

        problem.GetProperty("code").GetString().ShouldBe(code, problem.GetRawText());
        problem.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(problem.GetRawText());
        (await IdentityApi.GetRowsAsync(org.Editor.Client, Url)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Create_WithMoreThanAHundredTiles_IsRefused()
    {
        var org = await OrganizationAsync();
        var tiles = Enumerable.Range(0, 101).Select(i => TextTile($"t{i}", "x", 0, i, 1, 1)).ToArray();

        var problem = await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Post, Url, new { name = "d", tiles }), HttpStatusCode.BadRequest);

        problem.GetProperty("errors").TryGetProperty("tiles", out _).ShouldBeTrue(problem.GetRawText());
    }

    [Fact]
    public async Task Create_NamesEveryBrokenTileAtOnce()
    {
        var org = await OrganizationAsync();
        var tiles = new[] { TextTile("a", "x", 0, 0, 30, 1), TextTile("b", "x", 0, 1, 0, 1), VisualizationTile("c", Guid.CreateVersion7(), 0, 2, 4, 4) };

        var problem = await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Post, Url, new { name = "d", tiles }), HttpStatusCode.BadRequest);

        problem.GetProperty("code").GetString().ShouldBe("validation_failed");
        var errors = problem.GetProperty("errors");
        errors.TryGetProperty("tiles[0]", out _).ShouldBeTrue(problem.GetRawText());
        errors.TryGetProperty("tiles[1]", out _).ShouldBeTrue(problem.GetRawText());
        errors.TryGetProperty("tiles[2].visualization_id", out _).ShouldBeTrue(problem.GetRawText());
    }

    [Fact]
    public async Task AVisualizationOfAnotherOrganization_IsNotFound_AtItsTile_LikeAnUnknownOne()
    {
        var org = await OrganizationAsync();
        var other = await OrganizationAsync();

        foreach (var visualizationId in new[] { other.VisualizationId, Guid.CreateVersion7() })
        {
            var tiles = new[] { TextTile("note", "hello", 0, 0, 6, 2), VisualizationTile("foreign", visualizationId, 6, 0, 6, 2) };
            var problem = await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Post, Url, new { name = "d", tiles }), HttpStatusCode.BadRequest);

            problem.GetProperty("code").GetString().ShouldBe("dashboard.visualization_not_found");
            problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe(["tiles[1].visualization_id"]);
        }
    }

    public static TheoryData<string, string, string> BrokenMappings() => new()
    {
        { """{"tile_id":"orders","query_parameter":"region","source":"dashboard","dashboard_parameter":"country"}""", "parameter_mappings[0].query_parameter", "dashboard.mapping_query_parameter_unknown" },
        { """{"tile_id":"orders","query_parameter":"top","source":"dashboard","dashboard_parameter":"country"}""", "parameter_mappings[0].dashboard_parameter", "dashboard.mapping_type_mismatch" },
        { """{"tile_id":"orders","query_parameter":"country","source":"dashboard","dashboard_parameter":"wide"}""", "parameter_mappings[0].dashboard_parameter", "dashboard.mapping_type_mismatch" },
        { """{"tile_id":"orders","query_parameter":"country","source":"dashboard","dashboard_parameter":"nope"}""", "parameter_mappings[0].dashboard_parameter", "dashboard.mapping_dashboard_parameter_unknown" },
        { """{"tile_id":"orders","query_parameter":"top","source":"static","value":"many"}""", "parameter_mappings[0].value", "dashboard.mapping_value_invalid" },
        { """{"tile_id":"note","query_parameter":"top","source":"static","value":3}""", "parameter_mappings[0].tile_id", "dashboard.mapping_tile_unknown" },
        { """{"tile_id":"orders","query_parameter":"top","source":"guess"}""", "parameter_mappings[0]", "dashboard.mapping_missing" },
    };

    [Theory]
    [MemberData(nameof(BrokenMappings))]
    public async Task Create_WithAMappingTheQueryCannotTake_NamesTheMapping(string mapping, string field, string code)
    {
        var org = await OrganizationAsync();
        var body = $$"""
            {"name":"d",
             "tiles":[{"id":"orders","kind":"visualization","visualization_id":"{{org.VisualizationId}}","x":0,"y":0,"w":12,"h":4},
                      {"id":"note","kind":"text","text":"n","x":12,"y":0,"w":12,"h":4}],
             "parameters":[{"name":"country","type":"enum","options":["CH","FR"]},{"name":"wide","type":"enum","options":["CH","US"]}],
             "parameter_mappings":[{{mapping}}]}
            """;

        var problem = await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Post, Url, JsonDocument.Parse(body).RootElement), HttpStatusCode.BadRequest);

        problem.GetProperty("code").GetString().ShouldBe(code, problem.GetRawText());
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldContain(name => name.StartsWith(field, StringComparison.Ordinal), problem.GetRawText());
    }

    [Fact]
    public async Task EveryChange_WithoutIfMatch_IsPreconditionRequired_AndChangesNothing()
    {
        var org = await OrganizationAsync();
        var (created, etag) = await CreateAsync(org.Editor, SalesDashboard(org));
        var id = created.GetProperty("id").GetGuid();

        foreach (var (method, url, body) in new (HttpMethod, string, object?)[]
                 {
                     (HttpMethod.Patch, $"{Url}/{id}", new { name = "Renamed" }),
                     (HttpMethod.Delete, $"{Url}/{id}", null),
                     (HttpMethod.Post, $"{Url}/{id}/restore", null),
                     (HttpMethod.Post, $"{Url}/{id}/versions/1/restore", null),
                 })
        {
            foreach (var ifMatch in new string?[] { null, "*" })
            {
                var problem = await ProblemAsync(await SendAsync(org.Editor, method, url, body, ifMatch), (HttpStatusCode)428);
                problem.GetProperty("code").GetString().ShouldBe("precondition_required", $"{method} {url} If-Match {ifMatch}");
            }
        }

        var (after, afterTag) = await OkAsync(await SendAsync(org.Editor, HttpMethod.Get, $"{Url}/{id}"));
        VersionOf(afterTag).ShouldBe(etag);
        after.GetProperty("name").GetString().ShouldBe("Sales");
    }

    [Fact]
    public async Task AStaleIfMatch_IsPreconditionFailed_WithTheCurrentVersionAndETag()
    {
        var org = await OrganizationAsync();
        var (created, etag) = await CreateAsync(org.Editor, SalesDashboard(org));
        var id = created.GetProperty("id").GetGuid();

        // Someone else saves first: their change is version 2.
        var (theirs, theirTag) = await OkAsync(await SendAsync(org.Admin, HttpMethod.Patch, $"{Url}/{id}", new { description = "Theirs" }, etag));
        theirs.GetProperty("version").GetInt32().ShouldBe(2);
        theirTag.ShouldNotBe(etag);

        var tiles = new[] { TextTile("only", "mine", 0, 0, 24, 2) };
        var problem = await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{id}", new { tiles, parameter_mappings = (object?)null }, etag), HttpStatusCode.PreconditionFailed);

        problem.GetProperty("code").GetString().ShouldBe("precondition_failed");
        problem.GetProperty("current_version").GetInt32().ShouldBe(2);
        problem.GetProperty("current_etag").GetString().ShouldBe(theirTag);
        var (after, _) = await OkAsync(await SendAsync(org.Editor, HttpMethod.Get, $"{Url}/{id}"));
        after.GetProperty("tiles").GetArrayLength().ShouldBe(3);
        after.GetProperty("description").GetString().ShouldBe("Theirs");
    }

    [Fact]
    public async Task Patch_ChangesWhatItSends_AsOneNewVersion_AndKeepsTheRest()
    {
        var org = await OrganizationAsync();
        var (created, etag) = await CreateAsync(org.Editor, SalesDashboard(org));
        var id = created.GetProperty("id").GetGuid();
        var tiles = new[] { VisualizationTile("orders", org.VisualizationId, 0, 0, 24, 8) };

        using var response = await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{id}", new { name = "Sales 2", tiles, parameter_mappings = (object?)null }, etag);
        var newTag = response.Headers.ETag!.Tag;
        var (patched, _) = await OkAsync(response);

        newTag.ShouldNotBe(etag);
        patched.GetProperty("version").GetInt32().ShouldBe(2);
        patched.GetProperty("name").GetString().ShouldBe("Sales 2");
        patched.GetProperty("description").GetString().ShouldBe("Orders of the quarter");
        patched.GetProperty("tiles").GetArrayLength().ShouldBe(1);
        patched.GetProperty("parameter_mappings").GetArrayLength().ShouldBe(0);
        patched.GetProperty("parameters").GetArrayLength().ShouldBe(1);

        // The same content again records nothing.
        var (same, sameTag) = await OkAsync(await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{id}", new { name = "Sales 2" }, newTag));
        same.GetProperty("version").GetInt32().ShouldBe(2);
        sameTag.ShouldBe(newTag);
        (await IdentityApi.GetRowsAsync(org.Editor.Client, $"{Url}/{id}/versions")).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Patch_TilesThatDropAMappedTile_IsRefusedAtTheMapping()
    {
        var org = await OrganizationAsync();
        var (created, etag) = await CreateAsync(org.Editor, SalesDashboard(org));
        var id = created.GetProperty("id").GetGuid();

        var problem = await ProblemAsync(
            await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{id}", new { tiles = new[] { TextTile("note", "n", 0, 0, 4, 4) } }, etag),
            HttpStatusCode.BadRequest);

        problem.GetProperty("code").GetString().ShouldBe("dashboard.mapping_tile_unknown");
        problem.GetProperty("errors").TryGetProperty("parameter_mappings[0].tile_id", out _).ShouldBeTrue(problem.GetRawText());
    }

    [Fact]
    public async Task Patch_NameNull_IsRefused()
    {
        var org = await OrganizationAsync();
        var (created, etag) = await CreateAsync(org.Editor, SalesDashboard(org));

        var problem = await ProblemAsync(
            await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{created.GetProperty("id").GetGuid()}", new { name = (string?)null }, etag),
            HttpStatusCode.BadRequest);

        problem.GetProperty("errors").TryGetProperty("name", out _).ShouldBeTrue(problem.GetRawText());
    }

    [Fact]
    public async Task Versions_KeepEveryState_AndRestoringOneRecordsANewVersion()
    {
        var org = await OrganizationAsync();
        var (created, etag) = await CreateAsync(org.Editor, SalesDashboard(org));
        var id = created.GetProperty("id").GetGuid();
        var (_, second) = await OkAsync(await SendAsync(
            org.Editor, HttpMethod.Patch, $"{Url}/{id}", new { name = "Bare", tiles = Array.Empty<object>(), parameter_mappings = (object?)null, parameters = (object?)null }, etag));

        var versions = await IdentityApi.GetRowsAsync(org.Viewer.Client, $"{Url}/{id}/versions");
        versions.Select(v => v.GetProperty("version").GetInt32()).ShouldBe([2, 1]);
        versions[0].GetProperty("creator_id").GetGuid().ShouldBe(org.Editor.UserId);
        (await IdentityApi.GetRowsAsync(org.Viewer.Client, $"{Url}/{id}/versions?sort=version")).Select(v => v.GetProperty("version").GetInt32()).ShouldBe([1, 2]);
        var first = await IdentityApi.GetOkAsync(org.Viewer.Client, $"{Url}/{id}/versions/1");
        first.GetProperty("name").GetString().ShouldBe("Sales");
        first.GetProperty("tiles").GetArrayLength().ShouldBe(3);
        first.GetProperty("tiles")[1].GetProperty("rendered_html").GetString()!.ShouldContain("<strong>");
        await ProblemAsync(await SendAsync(org.Viewer, HttpMethod.Get, $"{Url}/{id}/versions/9"), HttpStatusCode.NotFound);

        using var restoring = await SendAsync(org.Editor, HttpMethod.Post, $"{Url}/{id}/versions/1/restore", null, second);
        var restoredTag = restoring.Headers.ETag!.Tag;
        var (restored, _) = await OkAsync(restoring);

        restored.GetProperty("version").GetInt32().ShouldBe(3);
        restored.GetProperty("name").GetString().ShouldBe("Sales");
        restored.GetProperty("tiles").GetRawText().ShouldBe(created.GetProperty("tiles").GetRawText());
        restored.GetProperty("parameter_mappings").GetRawText().ShouldBe(created.GetProperty("parameter_mappings").GetRawText());
        (await IdentityApi.GetRowsAsync(org.Viewer.Client, $"{Url}/{id}/versions")).Count.ShouldBe(3);

        // The tag the restore was asked under is stale now.
        var stale = await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Post, $"{Url}/{id}/versions/2/restore", null, second), HttpStatusCode.PreconditionFailed);
        stale.GetProperty("current_version").GetInt32().ShouldBe(3);
        stale.GetProperty("current_etag").GetString().ShouldBe(restoredTag);
    }

    [Fact]
    public async Task Archive_HidesFromLists_RefusesChanges_AndRestoreBringsItBack()
    {
        var org = await OrganizationAsync();
        var (created, etag) = await CreateAsync(org.Editor, SalesDashboard(org));
        var id = created.GetProperty("id").GetGuid();

        using (var deleted = await SendAsync(org.Editor, HttpMethod.Delete, $"{Url}/{id}", null, etag))
        {
            deleted.StatusCode.ShouldBe(HttpStatusCode.NoContent, await deleted.Content.ReadAsStringAsync(Ct));
        }

        (await IdentityApi.GetRowsAsync(org.Viewer.Client, Url)).ShouldBeEmpty();
        var archived = (await IdentityApi.GetRowsAsync(org.Viewer.Client, $"{Url}?status=archived")).Single();
        archived.GetProperty("id").GetGuid().ShouldBe(id);
        archived.GetProperty("status").GetString().ShouldBe("archived");
        var (read, archivedTag) = await OkAsync(await SendAsync(org.Viewer, HttpMethod.Get, $"{Url}/{id}"));
        read.GetProperty("archived_at").ValueKind.ShouldBe(JsonValueKind.String);

        var refused = await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{id}", new { name = "x" }, archivedTag), HttpStatusCode.Conflict);
        refused.GetProperty("code").GetString().ShouldBe("dashboard.archived");
        (await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Post, $"{Url}/{id}/versions/1/restore", null, archivedTag), HttpStatusCode.Conflict))
            .GetProperty("code").GetString().ShouldBe("dashboard.archived");

        var (restored, _) = await OkAsync(await SendAsync(org.Editor, HttpMethod.Post, $"{Url}/{id}/restore", null, archivedTag));
        restored.GetProperty("status").GetString().ShouldBe("active");
        restored.GetProperty("version").GetInt32().ShouldBe(1);
        (await IdentityApi.GetRowsAsync(org.Viewer.Client, Url)).Single().GetProperty("id").GetGuid().ShouldBe(id);
    }

    [Fact]
    public async Task Viewers_Read_ButCannotWrite()
    {
        var org = await OrganizationAsync();
        var (created, etag) = await CreateAsync(org.Editor, SalesDashboard(org));
        var id = created.GetProperty("id").GetGuid();

        await ProblemAsync(await SendAsync(org.Viewer, HttpMethod.Post, Url, SalesDashboard(org)), HttpStatusCode.Forbidden);
        await ProblemAsync(await SendAsync(org.Viewer, HttpMethod.Patch, $"{Url}/{id}", new { name = "x" }, etag), HttpStatusCode.Forbidden);
        await ProblemAsync(await SendAsync(org.Viewer, HttpMethod.Delete, $"{Url}/{id}", null, etag), HttpStatusCode.Forbidden);
        await ProblemAsync(await SendAsync(org.Viewer, HttpMethod.Post, $"{Url}/{id}/restore", null, etag), HttpStatusCode.Forbidden);
        await ProblemAsync(await SendAsync(org.Viewer, HttpMethod.Post, $"{Url}/{id}/versions/1/restore", null, etag), HttpStatusCode.Forbidden);

        (await IdentityApi.GetRowsAsync(org.Viewer.Client, Url)).Count.ShouldBe(1);
        (await OkAsync(await SendAsync(org.Viewer, HttpMethod.Get, $"{Url}/{id}"))).Body.GetProperty("name").GetString().ShouldBe("Sales");
        (await OkAsync(await SendAsync(org.Admin, HttpMethod.Patch, $"{Url}/{id}", new { name = "By the admin" }, etag))).Body
            .GetProperty("version").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task List_FiltersByTextAndTags_AndSortsByName()
    {
        var org = await OrganizationAsync();
        await CreateAsync(org.Editor, new { name = "Beta board", tags = Ops });
        await CreateAsync(org.Editor, new { name = "Alpha board", description = "revenue", tags = FinanceOps });
        await CreateAsync(org.Editor, new { name = "Gamma" });

        (await IdentityApi.GetRowsAsync(org.Viewer.Client, $"{Url}?sort=name")).Select(r => r.GetProperty("name").GetString()).ShouldBe(["Alpha board", "Beta board", "Gamma"]);
        (await IdentityApi.GetRowsAsync(org.Viewer.Client, $"{Url}?sort=-name")).Select(r => r.GetProperty("name").GetString()).ShouldBe(["Gamma", "Beta board", "Alpha board"]);
        (await IdentityApi.GetRowsAsync(org.Viewer.Client, $"{Url}?q=board&sort=name")).Select(r => r.GetProperty("name").GetString()).ShouldBe(["Alpha board", "Beta board"]);
        (await IdentityApi.GetRowsAsync(org.Viewer.Client, $"{Url}?q=REVENUE")).Single().GetProperty("name").GetString().ShouldBe("Alpha board");
        (await IdentityApi.GetRowsAsync(org.Viewer.Client, $"{Url}?tags=finance")).Single().GetProperty("name").GetString().ShouldBe("Alpha board");
        (await IdentityApi.GetRowsAsync(org.Viewer.Client, $"{Url}?tags=OPS&sort=created_at")).Select(r => r.GetProperty("name").GetString()).ShouldBe(["Beta board", "Alpha board"]);
        var row = (await IdentityApi.GetRowsAsync(org.Viewer.Client, $"{Url}?q=Gamma")).Single();
        row.TryGetProperty("tiles", out _).ShouldBeFalse();
        row.GetProperty("version").GetInt32().ShouldBe(1);
        await ProblemAsync(await SendAsync(org.Viewer, HttpMethod.Get, $"{Url}?sort=tiles"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task EveryMutation_IsAudited()
    {
        var org = await OrganizationAsync();
        var (created, etag) = await CreateAsync(org.Editor, SalesDashboard(org));
        var id = created.GetProperty("id").GetGuid();
        var (_, renamed) = await OkAsync(await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{id}", new { name = "Renamed" }, etag));
        var (_, restored) = await OkAsync(await SendAsync(org.Editor, HttpMethod.Post, $"{Url}/{id}/versions/1/restore", null, renamed));
        using (var archive = await SendAsync(org.Editor, HttpMethod.Delete, $"{Url}/{id}", null, restored))
        {
            archive.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        var (_, archivedTag) = await OkAsync(await SendAsync(org.Editor, HttpMethod.Get, $"{Url}/{id}"));
        await OkAsync(await SendAsync(org.Editor, HttpMethod.Post, $"{Url}/{id}/restore", null, archivedTag));

        var events = (await IdentityApi.GetRowsAsync(org.Admin.Client, "/api/v1/audit-events?per_page=100"))
            .Where(e => e.GetProperty("action").GetString()!.StartsWith("dashboard.", StringComparison.Ordinal))
            .ToList();
        events.Select(e => e.GetProperty("action").GetString()).ShouldBe(
            ["dashboard.restored", "dashboard.archived", "dashboard.updated", "dashboard.updated", "dashboard.created"], ignoreOrder: true);
        events.ShouldAllBe(e => e.GetProperty("target_id").GetGuid() == id);
        var versionRestore = events.Single(e => e.GetProperty("details").ValueKind == JsonValueKind.Object && e.GetProperty("details").TryGetProperty("restored_from", out _));
        versionRestore.GetProperty("details").GetProperty("restored_from").GetString().ShouldBe("1");
        versionRestore.GetProperty("details").GetProperty("version").GetString().ShouldBe("3");
    }

    /// <summary>The row version a dashboard read's <c>ETag</c> carries (<c>"6103-…"</c> → <c>"6103"</c>), as a write's ETag is.</summary>
    private static string VersionOf(string readTag) => $"\"{readTag.Trim('"').Split('-')[0]}\"";
}
