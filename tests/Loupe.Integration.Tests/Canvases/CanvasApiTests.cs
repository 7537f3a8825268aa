using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Loupe.Domain.Canvases;
using Loupe.Domain.Visualizations;
using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Loupe.Integration.Tests.Canvases;

/// <summary>/api/v1/canvases: everyone reads, editors and admins write; the graph is replaced whole or not at all.</summary>
public sealed class CanvasApiTests(IdentityApi api) : ResetBeforeEachTest(api), IClassFixture<IdentityApi>
{
    private const string Url = "/api/v1/canvases";
    private static readonly string[] Columns = ["day", "amount"];
    private readonly IdentityDriver _identity = api.Identity;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>An organization with an admin, an editor and a viewer, a saved query and a visualization of it.</summary>
    private async Task<Org> OrganizationAsync()
    {
        var admin = await _identity.RegisterAsync();
        var editor = await _identity.AddMemberAsync(admin, "editor");
        var viewer = await _identity.AddMemberAsync(admin, "viewer");
        var source = (await IdentityApi.CreateDataSourceAsync(admin)).GetProperty("id").GetGuid();
        var queryId = (await IdentityApi.CreateSavedQueryAsync(editor, source)).GetProperty("id").GetGuid();
        return new Org(admin, editor, viewer, queryId, await VisualizationOfAsync(admin.OrganizationId, queryId, editor.UserId));
    }

    private sealed record Org(Member Admin, Member Editor, Member Viewer, Guid QueryId, Guid VisualizationId);

    /// <summary>A visualization of the query, written through the model (its API is not this class's subject).</summary>
    private async Task<Guid> VisualizationOfAsync(Guid organizationId, Guid queryId, Guid ownerId)
    {
        await using var context = TenantData.Context(api.AppConnection, organizationId);
        var query = await context.SavedQueries.SingleAsync(q => q.Id == queryId, Ct);
        var visualization = Visualization.Create(Guid.CreateVersion7(), query, ownerId, "Total", null, new CounterOptions("amount", null, null), null, TenantData.Epoch);
        context.Visualizations.Add(visualization);
        await context.SaveChangesAsync(Ct);
        return visualization.Id;
    }

    private static object Node(string id, string type, Guid? refId = null, object? config = null) =>
        new { id, type, ref_id = refId, position = new { x = 10.5, y = -20 }, size = new { w = 240, h = 120 }, config = config ?? new { } };

    private static object Edge(string id, string source, string target, string? label = null) => new { id, source, target, label };

    /// <summary>A graph with a node of every type: query → visualization, filter → query, and a note.</summary>
    private static (object[] Nodes, object[] Edges) FullGraph(Org org) =>
        (
            [
                Node("q1", "query", org.QueryId, new { show = "table", columns = Columns }),
                Node("v1", "visualization", org.VisualizationId),
                Node("note", "text", config: new { markdown = "# Why sales *dropped*" }),
                Node("f1", "filter", config: new { parameter = "country" }),
            ],
            [Edge("e1", "q1", "v1", "draws"), Edge("e2", "f1", "q1")]);

    private static async Task<(JsonElement Body, string ETag)> CreateAsync(Member member, object body)
    {
        using var response = await member.Client.PostAsJsonAsync(Url, body, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        return (JsonDocument.Parse(text).RootElement, response.Headers.ETag!.Tag);
    }

    private static async Task<(Guid Id, string ETag)> CreateWithGraphAsync(Org org)
    {
        var (nodes, edges) = FullGraph(org);
        var (canvas, etag) = await CreateAsync(org.Editor, new { name = "Sales flow", nodes, edges });
        return (canvas.GetProperty("id").GetGuid(), etag);
    }

    private static async Task<HttpResponseMessage> SendAsync(Member member, HttpMethod method, string url, object? body = null, string? ifMatch = null, string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }

        return await member.Client.SendAsync(request, Ct);
    }

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
            return JsonDocument.Parse(text).RootElement;
        }
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        using (response)
        {
            return await response.ShouldBeProblemAsync(status);
        }
    }

    private static async Task<(string Body, string ETag)> ReadAsync(Member member, Guid id)
    {
        using var response = await SendAsync(member, HttpMethod.Get, $"{Url}/{id}");
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return (text, response.Headers.ETag!.Tag);
    }

    [Fact]
    public async Task Create_AnswersTheCanvas_WithLocationAndETag_AndAReadAnswersTheSame()
    {
        var org = await OrganizationAsync();
        var (nodes, edges) = FullGraph(org);
        var body = new
        {
            name = " Sales flow ",
            description = "Where the numbers come from",
            time_preset = new { kind = "custom", start = "2026-11-01T00:00:00+01:00", end = "2026-12-01T00:00:00Z" },
            nodes,
            edges,
        };

        using var response = await org.Editor.Client.PostAsJsonAsync(Url, body, Ct);

        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        var created = JsonDocument.Parse(text).RootElement;
        var id = created.GetProperty("id").GetGuid();
        response.Headers.Location!.ToString().ShouldEndWith($"{Url}/{id}");
        response.Headers.ETag.ShouldNotBeNull().IsWeak.ShouldBeFalse();
        created.GetProperty("name").GetString().ShouldBe("Sales flow");
        created.GetProperty("status").GetString().ShouldBe("active");
        var preset = created.GetProperty("time_preset");
        preset.GetProperty("kind").GetString().ShouldBe("custom");
        preset.GetProperty("start").GetString().ShouldBe("2026-10-31T23:00:00.000000Z");
        preset.GetProperty("end").GetString().ShouldBe("2026-12-01T00:00:00.000000Z");
        var node = created.GetProperty("nodes")[0];
        node.GetProperty("type").GetString().ShouldBe("query");
        node.GetProperty("ref_id").GetGuid().ShouldBe(org.QueryId);
        node.GetProperty("position").GetProperty("x").GetDouble().ShouldBe(10.5);
        node.GetProperty("size").GetProperty("h").GetDouble().ShouldBe(120);
        node.GetProperty("config").GetProperty("columns")[1].GetString().ShouldBe("amount");
        created.GetProperty("nodes")[2].GetProperty("ref_id").ValueKind.ShouldBe(JsonValueKind.Null);
        created.GetProperty("edges")[0].GetProperty("label").GetString().ShouldBe("draws");
        created.GetProperty("edges")[1].GetProperty("label").ValueKind.ShouldBe(JsonValueKind.Null);

        var (read, etag) = await ReadAsync(org.Viewer, id);
        read.ShouldBe(text);
        etag.ShouldBe(response.Headers.ETag!.Tag);
    }

    [Fact]
    public async Task Create_WithoutPresetOrGraph_IsAnEmptyCanvasOverTheLast24Hours()
    {
        var org = await OrganizationAsync();

        var (canvas, _) = await CreateAsync(org.Admin, new { name = "Scratch" });

        canvas.GetProperty("time_preset").GetProperty("kind").GetString().ShouldBe("last_24_hours");
        canvas.GetProperty("time_preset").GetProperty("start").ValueKind.ShouldBe(JsonValueKind.Null);
        canvas.GetProperty("nodes").GetArrayLength().ShouldBe(0);
        canvas.GetProperty("edges").GetArrayLength().ShouldBe(0);
        canvas.GetProperty("description").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    public static TheoryData<string, string, string> BrokenGraphs() => new()
    {
        { "too_many_nodes", "canvas.too_many_nodes", "nodes" },
        { "too_many_edges", "canvas.too_many_edges", "edges" },
        { """{"nodes":[{"id":"a b","type":"text","position":{"x":0,"y":0},"size":{"w":1,"h":1}}],"edges":[]}""", "canvas.node_id_invalid", "nodes[0].id" },
        { """{"nodes":[{"id":"a","type":"text","position":{"x":0,"y":0},"size":{"w":1,"h":1}},{"id":"a","type":"text","position":{"x":0,"y":0},"size":{"w":1,"h":1}}],"edges":[]}""", "canvas.node_id_duplicate", "nodes[1].id" },
        { """{"nodes":[{"id":"a","type":"chart","position":{"x":0,"y":0},"size":{"w":1,"h":1}}],"edges":[]}""", "canvas.node_type_unknown", "nodes[0].type" },
        { """{"nodes":[{"id":"a","type":"query","position":{"x":0,"y":0},"size":{"w":1,"h":1}}],"edges":[]}""", "canvas.ref_id_required", "nodes[0].ref_id" },
        { """{"nodes":[{"id":"a","type":"text","ref_id":"{query}","position":{"x":0,"y":0},"size":{"w":1,"h":1}}],"edges":[]}""", "canvas.ref_id_not_allowed", "nodes[0].ref_id" },
        { """{"nodes":[{"id":"a","type":"text","size":{"w":1,"h":1}}],"edges":[]}""", "canvas.position_invalid", "nodes[0].position" },
        { """{"nodes":[{"id":"a","type":"text","position":{"x":0,"y":0},"size":{"w":0.5,"h":1}}],"edges":[]}""", "canvas.size_invalid", "nodes[0].size" },
        { """{"nodes":[{"id":"a","type":"text","position":{"x":0,"y":0},"size":{"w":1,"h":1},"config":[1]}],"edges":[]}""", "canvas.config_invalid", "nodes[0].config" },
        { "config_too_large", "canvas.config_too_large", "nodes[0].config" },
        { """{"nodes":[{"id":"a","type":"text","position":{"x":0,"y":0},"size":{"w":1,"h":1}},{"id":"b","type":"text","position":{"x":0,"y":0},"size":{"w":1,"h":1}}],"edges":[{"id":"","source":"a","target":"b"}]}""", "canvas.edge_id_invalid", "edges[0].id" },
        { """{"nodes":[{"id":"a","type":"text","position":{"x":0,"y":0},"size":{"w":1,"h":1}},{"id":"b","type":"text","position":{"x":0,"y":0},"size":{"w":1,"h":1}}],"edges":[{"id":"e","source":"a","target":"b"},{"id":"e","source":"b","target":"a"}]}""", "canvas.edge_id_duplicate", "edges[1].id" },
        { """{"nodes":[{"id":"a","type":"text","position":{"x":0,"y":0},"size":{"w":1,"h":1}}],"edges":[{"id":"e","source":"a","target":"gone"}]}""", "canvas.edge_node_missing", "edges[0].target" },
        { """{"nodes":[{"id":"a","type":"text","position":{"x":0,"y":0},"size":{"w":1,"h":1}}],"edges":[{"id":"e","source":"a","target":"a"}]}""", "canvas.self_loop", "edges[0].target" },
        { """{"nodes":[{"id":"a","type":"text","position":{"x":0,"y":0},"size":{"w":1,"h":1}},{"id":"b","type":"text","position":{"x":0,"y":0},"size":{"w":1,"h":1}}],"edges":[{"id":"e","source":"a","target":"b"},{"id":"f","source":"a","target":"b"}]}""", "canvas.edge_duplicate", "edges[1]" },
        { "label_too_long", "canvas.label_invalid", "edges[0].label" },
        { """{"nodes":[{"id":"a","type":"visualization","ref_id":"{query}","position":{"x":0,"y":0},"size":{"w":1,"h":1}}],"edges":[]}""", "canvas.ref_not_found", "nodes[0].ref_id" },
        { """{"nodes":[{"id":"a","type":"query","ref_id":"0190f5c2-7b1e-7cc0-9a4e-5f1f0f6f2d3a","position":{"x":0,"y":0},"size":{"w":1,"h":1}}],"edges":[]}""", "canvas.ref_not_found", "nodes[0].ref_id" },
    };

    /// <summary>A body for the cases too long to write out.</summary>
    private static string BodyOf(string graph) => graph switch
    {
        "too_many_nodes" => JsonSerializer.Serialize(new { nodes = Enumerable.Range(0, CanvasGraph.MaxNodes + 1).Select(i => Node($"n{i}", "text")), edges = Array.Empty<object>() }),
        "too_many_edges" => JsonSerializer.Serialize(new
        {
            nodes = Enumerable.Range(0, 30).Select(i => Node($"n{i}", "text")),
            edges = Enumerable.Range(0, 30).SelectMany(s => Enumerable.Range(0, 30).Where(t => t != s).Select(t => (s, t))).Take(CanvasGraph.MaxEdges + 1)
                .Select((p, i) => Edge($"e{i}", $"n{p.s}", $"n{p.t}")),
        }),
        "config_too_large" => JsonSerializer.Serialize(new { nodes = new[] { Node("a", "text", config: new { markdown = new string('m', CanvasGraph.ConfigMaxBytes) }) }, edges = Array.Empty<object>() }),
        "label_too_long" => JsonSerializer.Serialize(new { nodes = new[] { Node("a", "text"), Node("b", "text") }, edges = new[] { Edge("e", "a", "b", new string('l', CanvasGraph.LabelMaxLength + 1)) } }),
        _ => graph,
    };

    [Theory]
    [MemberData(nameof(BrokenGraphs))]
    public async Task ReplacingTheGraph_WithABrokenRule_IsA400NamingItsPath_AndChangesNothing(string graph, string code, string path)
    {
        var org = await OrganizationAsync();
        var (id, etag) = await CreateWithGraphAsync(org);

        // With the clock held, the answer's time window is the same on both reads.
        api.Clock.Hold();
        var (before, _) = await ReadAsync(org.Viewer, id);
        var body = BodyOf(graph).Replace("{query}", org.QueryId.ToString(), StringComparison.Ordinal);

        using var request = new HttpRequestMessage(HttpMethod.Put, $"{Url}/{id}/graph") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        var problem = await ProblemAsync(await org.Editor.Client.SendAsync(request, Ct), HttpStatusCode.BadRequest);

        problem.GetProperty("code").GetString().ShouldBe(code);
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe([path], problem.GetRawText());
        var (after, etagAfter) = await ReadAsync(org.Viewer, id);
        after.ShouldBe(before);
        etagAfter.ShouldBe(etag);
    }

    [Fact]
    public async Task EveryBrokenRule_IsReportedInOneProblem()
    {
        var org = await OrganizationAsync();
        var (id, _) = await CreateWithGraphAsync(org);

        var problem = await ProblemAsync(
            await SendAsync(org.Editor, HttpMethod.Put, $"{Url}/{id}/graph", new
            {
                nodes = new[] { Node("a", "query", Guid.CreateVersion7()), Node("a", "text"), Node("c", "visualization", org.QueryId), Node("d", "filter", org.QueryId) },
                edges = new[] { Edge("e1", "a", "a"), Edge("e2", "c", "nowhere"), Edge("e3", "c", "d"), Edge("e4", "c", "d") },
            }),
            HttpStatusCode.BadRequest);

        problem.GetProperty("code").GetString().ShouldBe("validation_failed");
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe(
            ["nodes[0].ref_id", "nodes[1].id", "nodes[2].ref_id", "nodes[3].ref_id", "edges[0].target", "edges[1].target", "edges[3]"], ignoreOrder: true);
    }

    [Fact]
    public async Task AnotherOrganizationsQueryOrVisualization_IsNotFound_AsAnIdThatDoesNotExist()
    {
        var org = await OrganizationAsync();
        var other = await OrganizationAsync();
        var (id, _) = await CreateWithGraphAsync(org);

        var foreign = await ProblemAsync(
            await SendAsync(org.Editor, HttpMethod.Put, $"{Url}/{id}/graph", new { nodes = new[] { Node("q", "query", other.QueryId), Node("v", "visualization", other.VisualizationId) }, edges = Array.Empty<object>() }),
            HttpStatusCode.BadRequest);
        var missing = await ProblemAsync(
            await SendAsync(org.Editor, HttpMethod.Put, $"{Url}/{id}/graph", new { nodes = new[] { Node("q", "query", Guid.CreateVersion7()), Node("v", "visualization", Guid.CreateVersion7()) }, edges = Array.Empty<object>() }),
            HttpStatusCode.BadRequest);
        var onCreate = await ProblemAsync(
            await SendAsync(org.Editor, HttpMethod.Post, Url, new { name = "x", nodes = new[] { Node("q", "query", other.QueryId) } }),
            HttpStatusCode.BadRequest);

        foreign.GetProperty("code").GetString().ShouldBe("canvas.ref_not_found");
        foreign.GetProperty("errors").GetRawText().ShouldBe(missing.GetProperty("errors").GetRawText());
        foreign.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe(["nodes[0].ref_id", "nodes[1].ref_id"]);
        onCreate.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe(["nodes[0].ref_id"]);
        (await IdentityApi.GetRowsAsync(org.Viewer.Client, Url)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task ReplacingTheGraph_ReplacesNodesAndEdgesTogether_UnderIfMatch()
    {
        var org = await OrganizationAsync();
        var (id, etag) = await CreateWithGraphAsync(org);

        // With the clock held, the answer's time window is the same on every read (and the save is after the create).
        api.Clock.Hold();
        using var replaced = await SendAsync(
            org.Editor, HttpMethod.Put, $"{Url}/{id}/graph", new { nodes = new[] { Node("only", "visualization", org.VisualizationId) }, edges = Array.Empty<object>() }, ifMatch: etag);

        var text = await replaced.Content.ReadAsStringAsync(Ct);
        replaced.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        var current = replaced.Headers.ETag!.Tag;
        current.ShouldNotBe(etag);
        var canvas = JsonDocument.Parse(text).RootElement;
        canvas.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("id").GetString()).ShouldBe(["only"]);
        canvas.GetProperty("edges").GetArrayLength().ShouldBe(0);
        canvas.GetProperty("updated_at").GetDateTimeOffset().ShouldBeGreaterThan(canvas.GetProperty("created_at").GetDateTimeOffset());
        (await ReadAsync(org.Viewer, id)).Body.ShouldBe(text);

        var (nodes, edges) = FullGraph(org);
        var stale = await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Put, $"{Url}/{id}/graph", new { nodes, edges }, ifMatch: etag), HttpStatusCode.PreconditionFailed);
        stale.GetProperty("code").GetString().ShouldBe("precondition_failed");
        (await ReadAsync(org.Viewer, id)).Body.ShouldBe(text);

        var missingMember = await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Put, $"{Url}/{id}/graph", new { nodes }, ifMatch: current), HttpStatusCode.BadRequest);
        missingMember.GetProperty("errors").TryGetProperty("edges", out _).ShouldBeTrue(missingMember.GetRawText());
        await OkAsync(await SendAsync(org.Editor, HttpMethod.Put, $"{Url}/{id}/graph", new { nodes, edges }, ifMatch: current));
    }

    [Fact]
    public async Task ConcurrentReplaces_WithTheSameIfMatch_OneWins_TheOthersAre412()
    {
        var org = await OrganizationAsync();
        var (id, etag) = await CreateWithGraphAsync(org);

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(async i =>
        {
            using var response = await SendAsync(
                org.Editor, HttpMethod.Put, $"{Url}/{id}/graph", new { nodes = new[] { Node($"n{i}", "text") }, edges = Array.Empty<object>() }, ifMatch: etag);
            return response.StatusCode;
        }));

        answers.Count(s => s == HttpStatusCode.OK).ShouldBe(1, string.Join(", ", answers));
        answers.Count(s => s == HttpStatusCode.PreconditionFailed).ShouldBe(answers.Length - 1, string.Join(", ", answers));
        var (body, _) = await ReadAsync(org.Viewer, id);
        JsonDocument.Parse(body).RootElement.GetProperty("nodes").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task ETags_AreSentOnReadsThatNeverAnswer304_AndRefuseStaleChangesOfEveryKind()
    {
        var org = await OrganizationAsync();
        var (id, created) = await CreateWithGraphAsync(org);

        using (var read = await SendAsync(org.Viewer, HttpMethod.Get, $"{Url}/{id}", ifNoneMatch: created))
        {
            read.StatusCode.ShouldBe(HttpStatusCode.OK);
            read.Headers.ETag!.Tag.ShouldBe(created);
            JsonDocument.Parse(await read.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("time_window").ValueKind.ShouldBe(JsonValueKind.Object);
        }

        using var patched = await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{id}", new { name = "First" }, ifMatch: created);
        patched.StatusCode.ShouldBe(HttpStatusCode.OK);
        var current = patched.Headers.ETag!.Tag;

        await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{id}", new { name = "Lost" }, ifMatch: created), HttpStatusCode.PreconditionFailed);
        await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{id}", new { name = "Weak" }, ifMatch: $"W/{current}"), HttpStatusCode.PreconditionFailed);
        await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Delete, $"{Url}/{id}", ifMatch: created), HttpStatusCode.PreconditionFailed);
        await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Post, $"{Url}/{id}/restore", ifMatch: created), HttpStatusCode.PreconditionFailed);
        (await OkAsync(await SendAsync(org.Viewer, HttpMethod.Get, $"{Url}/{id}"))).GetProperty("name").GetString().ShouldBe("First");

        using var archived = await SendAsync(org.Editor, HttpMethod.Delete, $"{Url}/{id}", ifMatch: current);
        archived.StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Patch_IsAMergePatch_OverNameDescriptionAndTimePreset()
    {
        var org = await OrganizationAsync();
        var (created, _) = await CreateAsync(org.Editor, new { name = "Flow", description = "Notes" });
        var id = created.GetProperty("id").GetGuid();

        var custom = await OkAsync(await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{id}", new
        {
            description = (string?)null,
            time_preset = new { kind = "custom", start = "2026-01-01T00:00:00Z", end = "2026-02-01T00:00:00Z" },
        }));
        custom.GetProperty("description").ValueKind.ShouldBe(JsonValueKind.Null);
        custom.GetProperty("name").GetString().ShouldBe("Flow");
        custom.GetProperty("time_preset").GetProperty("kind").GetString().ShouldBe("custom");

        var relative = await OkAsync(await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{id}", new { time_preset = new { kind = "this_month" } }));
        relative.GetProperty("time_preset").GetRawText().ShouldBe("""{"kind":"this_month","start":null,"end":null}""");

        var backwards = await ProblemAsync(
            await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{id}", new { time_preset = new { kind = "custom", start = "2026-02-01T00:00:00Z", end = "2026-02-01T00:00:00Z" } }),
            HttpStatusCode.BadRequest);
        backwards.GetProperty("code").GetString().ShouldBe("canvas.custom_range_invalid");
        var windowOnRelative = await ProblemAsync(
            await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{id}", new { time_preset = new { kind = "last_hour", start = "2026-02-01T00:00:00Z" } }),
            HttpStatusCode.BadRequest);
        windowOnRelative.GetProperty("errors").TryGetProperty("time_preset.start", out _).ShouldBeTrue(windowOnRelative.GetRawText());
        var unknown = await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{id}", new { time_preset = new { kind = "yesterday" } }), HttpStatusCode.BadRequest);
        unknown.GetProperty("errors").TryGetProperty("time_preset.kind", out _).ShouldBeTrue(unknown.GetRawText());
        var resets = await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{id}", new { name = (string?)null, time_preset = (object?)null }), HttpStatusCode.BadRequest);
        resets.GetProperty("errors").GetProperty("name")[0].GetString()!.ShouldStartWith("name: required");
        resets.GetProperty("errors").GetProperty("time_preset")[0].GetString()!.ShouldStartWith("time_preset: required");
        var graph = await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{id}", new { nodes = Array.Empty<object>() }), HttpStatusCode.BadRequest);
        graph.GetProperty("errors").TryGetProperty("nodes", out _).ShouldBeTrue(graph.GetRawText());
        await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{id}", new { }), HttpStatusCode.BadRequest);

        (await OkAsync(await SendAsync(org.Viewer, HttpMethod.Get, $"{Url}/{id}"))).GetProperty("time_preset").GetProperty("kind").GetString().ShouldBe("this_month");
    }

    [Fact]
    public async Task Archive_HidesTheCanvasFromLists_KeepsItReadOnly_AndRestoreBringsItBack()
    {
        var org = await OrganizationAsync();
        var (kept, _) = await CreateAsync(org.Editor, new { name = "Kept" });
        var (id, _) = await CreateWithGraphAsync(org);

        using (var delete = await SendAsync(org.Editor, HttpMethod.Delete, $"{Url}/{id}"))
        {
            delete.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        using (var again = await SendAsync(org.Editor, HttpMethod.Delete, $"{Url}/{id}"))
        {
            again.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        (await IdentityApi.GetRowsAsync(org.Viewer.Client, Url)).Select(r => r.GetProperty("id").GetGuid()).ShouldBe([kept.GetProperty("id").GetGuid()]);
        var inArchive = (await IdentityApi.GetRowsAsync(org.Viewer.Client, $"{Url}?status=archived")).ShouldHaveSingleItem();
        inArchive.GetProperty("id").GetGuid().ShouldBe(id);
        inArchive.GetProperty("status").GetString().ShouldBe("archived");
        inArchive.TryGetProperty("nodes", out _).ShouldBeFalse();
        var one = await OkAsync(await SendAsync(org.Viewer, HttpMethod.Get, $"{Url}/{id}"));
        one.GetProperty("status").GetString().ShouldBe("archived");
        one.GetProperty("nodes").GetArrayLength().ShouldBe(4);
        (await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{id}", new { name = "x" }), HttpStatusCode.Conflict))
            .GetProperty("code").GetString().ShouldBe("canvas.archived");
        (await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Put, $"{Url}/{id}/graph", new { nodes = Array.Empty<object>(), edges = Array.Empty<object>() }), HttpStatusCode.Conflict))
            .GetProperty("code").GetString().ShouldBe("canvas.archived");

        var restored = await OkAsync(await SendAsync(org.Editor, HttpMethod.Post, $"{Url}/{id}/restore"));

        restored.GetProperty("status").GetString().ShouldBe("active");
        restored.GetProperty("archived_at").ValueKind.ShouldBe(JsonValueKind.Null);
        restored.GetProperty("nodes").GetArrayLength().ShouldBe(4);
        (await IdentityApi.GetRowsAsync(org.Viewer.Client, Url)).Count.ShouldBe(2);
        await OkAsync(await SendAsync(org.Editor, HttpMethod.Post, $"{Url}/{id}/restore"));
        await ProblemAsync(await SendAsync(org.Viewer, HttpMethod.Get, $"{Url}?status=deleted"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Viewers_Read_ButOnlyEditorsAndAdminsWrite()
    {
        var org = await OrganizationAsync();
        var (id, _) = await CreateWithGraphAsync(org);
        var (nodes, edges) = FullGraph(org);

        await OkAsync(await SendAsync(org.Viewer, HttpMethod.Get, $"{Url}/{id}"));
        (await IdentityApi.GetRowsAsync(org.Viewer.Client, Url)).ShouldHaveSingleItem();
        await ProblemAsync(await SendAsync(org.Viewer, HttpMethod.Post, Url, new { name = "mine" }), HttpStatusCode.Forbidden);
        await ProblemAsync(await SendAsync(org.Viewer, HttpMethod.Patch, $"{Url}/{id}", new { name = "mine" }), HttpStatusCode.Forbidden);
        await ProblemAsync(await SendAsync(org.Viewer, HttpMethod.Put, $"{Url}/{id}/graph", new { nodes, edges }), HttpStatusCode.Forbidden);
        await ProblemAsync(await SendAsync(org.Viewer, HttpMethod.Delete, $"{Url}/{id}"), HttpStatusCode.Forbidden);
        await ProblemAsync(await SendAsync(org.Viewer, HttpMethod.Post, $"{Url}/{id}/restore"), HttpStatusCode.Forbidden);

        // The check comes before validation: a viewer's broken body is still a 403.
        await ProblemAsync(await SendAsync(org.Viewer, HttpMethod.Put, $"{Url}/{id}/graph", new { nodes = new[] { Node("a", "a", null) }, edges = Array.Empty<object>() }), HttpStatusCode.Forbidden);

        await OkAsync(await SendAsync(org.Admin, HttpMethod.Patch, $"{Url}/{id}", new { name = "Renamed by the admin" }));
        await OkAsync(await SendAsync(org.Admin, HttpMethod.Put, $"{Url}/{id}/graph", new { nodes, edges }));
        (await IdentityApi.GetRowsAsync(org.Viewer.Client, Url)).Single().GetProperty("name").GetString().ShouldBe("Renamed by the admin");
    }

    [Fact]
    public async Task List_FiltersSortsAndPages()
    {
        var org = await OrganizationAsync();
        await CreateAsync(org.Editor, new { name = "beta revenue", time_preset = new { kind = "last_7_days" } });
        await CreateAsync(org.Admin, new { name = "Alpha", description = "Monthly REVENUE" });
        await CreateAsync(org.Editor, new { name = "gamma" });

        async Task<List<string?>> NamesAsync(string query) =>
            [.. (await IdentityApi.GetRowsAsync(org.Viewer.Client, $"{Url}?{query}")).Select(r => r.GetProperty("name").GetString())];

        (await NamesAsync("sort=name")).ShouldBe(["Alpha", "beta revenue", "gamma"]);
        (await NamesAsync(string.Empty)).ShouldBe(["gamma", "Alpha", "beta revenue"]);
        (await NamesAsync("sort=created_at")).ShouldBe(["beta revenue", "Alpha", "gamma"]);
        (await NamesAsync("q=revenue&sort=-name")).ShouldBe(["beta revenue", "Alpha"]);
        var page = await IdentityApi.GetOkAsync(org.Viewer.Client, $"{Url}?sort=name&per_page=2&page=2");
        page.GetProperty("data").EnumerateArray().Single().GetProperty("name").GetString().ShouldBe("gamma");
        page.GetProperty("pagination").GetProperty("total").GetInt32().ShouldBe(3);
        var first = (await IdentityApi.GetRowsAsync(org.Viewer.Client, $"{Url}?sort=-name&per_page=1")).Single();
        first.GetProperty("time_preset").GetProperty("kind").GetString().ShouldBe("last_24_hours");
        (await IdentityApi.GetRowsAsync(org.Viewer.Client, $"{Url}?q=beta")).Single().GetProperty("time_preset").GetProperty("kind").GetString().ShouldBe("last_7_days");

        var badSort = await ProblemAsync(await SendAsync(org.Viewer, HttpMethod.Get, $"{Url}?sort=nodes"), HttpStatusCode.BadRequest);
        badSort.GetProperty("errors").GetProperty("sort").EnumerateArray().Single().GetString()!.ShouldContain("name, created_at, updated_at");
        await ProblemAsync(await SendAsync(org.Viewer, HttpMethod.Get, $"{Url}?tag=x"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task UnknownIds_AreNotFound()
    {
        var org = await OrganizationAsync();
        var nowhere = $"{Url}/{Guid.CreateVersion7()}";

        await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Get, nowhere), HttpStatusCode.NotFound);
        await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Patch, nowhere, new { name = "x" }), HttpStatusCode.NotFound);
        await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Put, $"{nowhere}/graph", new { nodes = Array.Empty<object>(), edges = Array.Empty<object>() }), HttpStatusCode.NotFound);
        await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Delete, nowhere), HttpStatusCode.NotFound);
        await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Post, $"{nowhere}/restore"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task EveryChange_IsAudited()
    {
        var org = await OrganizationAsync();
        var (id, _) = await CreateWithGraphAsync(org);
        await OkAsync(await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{id}", new { name = "x" }));
        await OkAsync(await SendAsync(org.Editor, HttpMethod.Put, $"{Url}/{id}/graph", new { nodes = Array.Empty<object>(), edges = Array.Empty<object>() }));
        using (await SendAsync(org.Editor, HttpMethod.Delete, $"{Url}/{id}"))
        {
        }

        await OkAsync(await SendAsync(org.Editor, HttpMethod.Post, $"{Url}/{id}/restore"));

        var events = (await IdentityApi.GetRowsAsync(org.Admin.Client, "/api/v1/audit-events?per_page=100"))
            .Where(e => e.GetProperty("action").GetString()!.StartsWith("canvas.", StringComparison.Ordinal)).ToList();
        events.Select(e => e.GetProperty("action").GetString()).ShouldBe(
            ["canvas.restored", "canvas.archived", "canvas.graph_replaced", "canvas.updated", "canvas.created"]);
        events.ShouldAllBe(e => e.GetProperty("actor_id").GetGuid() == org.Editor.UserId);
    }

    /// <summary>A timestamp as every answer writes it: UTC, six fraction digits.</summary>
    private static string Wire(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static (string? Start, string? End) WindowOf(JsonElement canvas)
    {
        var window = canvas.GetProperty("time_window");
        return (window.GetProperty("start").GetString(), window.GetProperty("end").GetString());
    }

    private static async Task SetTimeZoneAsync(Member admin, string timeZone)
    {
        using var response = await admin.Client.PatchAsJsonAsync("/api/v1/organization", new { time_zone = timeZone }, Ct);
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task EveryAnswer_ResolvesTheTimePreset_AtTheMomentOfTheRequest_InTheOrganizationsZone()
    {
        var org = await OrganizationAsync();
        await SetTimeZoneAsync(org.Admin, "America/Sao_Paulo");
        var now = api.Clock.Hold();
        var local = TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById("America/Sao_Paulo"));

        // São Paulo keeps -03:00 all year: the month began at 03:00 UTC on its first day.
        var thisMonth = (Wire(new DateTimeOffset(local.Year, local.Month, 1, 0, 0, 0, TimeSpan.FromHours(-3))), Wire(now));
        var (created, _) = await CreateAsync(org.Editor, new { name = "Month", time_preset = new { kind = "this_month" } });
        var id = created.GetProperty("id").GetGuid();
        await CreateAsync(org.Editor, new { name = "Week", time_preset = new { kind = "last_7_days" } });

        WindowOf(created).ShouldBe(thisMonth);
        WindowOf(await OkAsync(await SendAsync(org.Viewer, HttpMethod.Get, $"{Url}/{id}"))).ShouldBe(thisMonth);
        var rows = await IdentityApi.GetRowsAsync(org.Viewer.Client, $"{Url}?sort=name");
        rows.Select(WindowOf).ShouldBe([thisMonth, (Wire(now.AddDays(-7)), Wire(now))]);
        WindowOf(await OkAsync(await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{id}", new { name = "This month" }))).ShouldBe(thisMonth);
        WindowOf(await OkAsync(await SendAsync(org.Editor, HttpMethod.Put, $"{Url}/{id}/graph", new { nodes = new[] { Node("t", "text") }, edges = Array.Empty<object>() })))
            .ShouldBe(thisMonth);
        using (await SendAsync(org.Editor, HttpMethod.Delete, $"{Url}/{id}"))
        {
        }

        WindowOf(await OkAsync(await SendAsync(org.Editor, HttpMethod.Post, $"{Url}/{id}/restore"))).ShouldBe(thisMonth);

        // A preset changed by the PATCH is answered with its own window.
        var lastHour = await OkAsync(await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{id}", new { time_preset = new { kind = "last_hour" } }));
        WindowOf(lastHour).ShouldBe((Wire(now.AddHours(-1)), Wire(now)));
    }

    [Fact]
    public async Task ACustomPreset_IsItsOwnWindow_WhateverTheZone()
    {
        var org = await OrganizationAsync();
        await SetTimeZoneAsync(org.Admin, "Australia/Lord_Howe");
        var window = ("2026-10-31T23:00:00.000000Z", "2031-01-01T00:00:00.000000Z");

        var (created, _) = await CreateAsync(org.Editor, new
        {
            name = "Custom",
            time_preset = new { kind = "custom", start = "2026-11-01T00:00:00+01:00", end = "2031-01-01T10:30:00+10:30" },
        });
        var id = created.GetProperty("id").GetGuid();

        WindowOf(created).ShouldBe(window);
        WindowOf(await OkAsync(await SendAsync(org.Viewer, HttpMethod.Get, $"{Url}/{id}"))).ShouldBe(window);
        WindowOf((await IdentityApi.GetRowsAsync(org.Viewer.Client, Url)).Single()).ShouldBe(window);

        // The window is answered, never taken: a PATCH that sends one is refused.
        var sent = await ProblemAsync(
            await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{id}", new { time_window = new { start = "2026-01-01T00:00:00Z", end = "2026-02-01T00:00:00Z" } }),
            HttpStatusCode.BadRequest);
        sent.GetProperty("errors").TryGetProperty("time_window", out _).ShouldBeTrue(sent.GetRawText());
    }

    [Fact]
    public async Task ChangingTheOrganizationsZone_MovesTheWindow_AndTimePassing_MovesItToo_WithoutChangingTheETag()
    {
        var org = await OrganizationAsync();
        await SetTimeZoneAsync(org.Admin, "America/Sao_Paulo");
        var now = api.Clock.Hold();
        var (created, etag) = await CreateAsync(org.Editor, new { name = "Month", time_preset = new { kind = "this_month" } });
        var id = created.GetProperty("id").GetGuid();
        var (saoPauloStart, _) = WindowOf(created);

        await SetTimeZoneAsync(org.Admin, "Australia/Lord_Howe");
        var (body, etagInLordHowe) = await ReadAsync(org.Viewer, id);

        // The canvas itself did not change: same ETag, the window now begins at midnight on the first in Lord Howe.
        etagInLordHowe.ShouldBe(etag);
        var (start, end) = WindowOf(JsonDocument.Parse(body).RootElement);
        end.ShouldBe(Wire(now));
        start.ShouldNotBe(saoPauloStart);
        var lordHowe = TimeZoneInfo.FindSystemTimeZoneById("Australia/Lord_Howe");
        var localStart = TimeZoneInfo.ConvertTime(DateTimeOffset.Parse(start!, CultureInfo.InvariantCulture), lordHowe);
        var localNow = TimeZoneInfo.ConvertTime(now, lordHowe);
        localStart.DateTime.ShouldBe(new DateTime(localNow.Year, localNow.Month, 1, 0, 0, 0, DateTimeKind.Unspecified));
        WindowOf((await IdentityApi.GetRowsAsync(org.Viewer.Client, Url)).Single()).ShouldBe((start, end));

        // A minute later the window ends a minute later; the ETag still names the stored canvas, so even
        // a conditional read answers the body with the moved window, never a 304 vouching for the old one.
        var later = api.Clock.Hold(now.AddMinutes(1));
        var (moved, etagLater) = await ReadAsync(org.Viewer, id);
        etagLater.ShouldBe(etag);
        WindowOf(JsonDocument.Parse(moved).RootElement).ShouldBe((start, Wire(later)));
        using var conditional = await SendAsync(org.Viewer, HttpMethod.Get, $"{Url}/{id}", ifNoneMatch: etag);
        conditional.StatusCode.ShouldBe(HttpStatusCode.OK);
        WindowOf(JsonDocument.Parse(await conditional.Content.ReadAsStringAsync(Ct)).RootElement).ShouldBe((start, Wire(later)));
    }

    [Fact]
    public async Task AList_ReadsTheOrganizationsZoneOncePerPage_NotOncePerRow()
    {
        var org = await OrganizationAsync();
        await CreateAsync(org.Editor, new { name = "first", time_preset = new { kind = "this_month" } });

        async Task<(int Commands, int OrganizationReads)> StatementsOfAsync(int perPage)
        {
            var before = api.Factory.Logs.Lines.Count;
            (await IdentityApi.GetRowsAsync(org.Viewer.Client, $"{Url}?per_page={perPage}")).Count.ShouldBe(perPage);
            var commands = api.Factory.Logs.Lines.Skip(before)
                .Where(line => line.Category == "Microsoft.EntityFrameworkCore.Database.Command" && line.Message.StartsWith("Executed DbCommand", StringComparison.Ordinal))
                .ToList();
            return (commands.Count, commands.Count(line => line.Message.Contains("FROM organizations", StringComparison.Ordinal)));
        }

        var one = await StatementsOfAsync(1);
        for (var i = 0; i < 4; i++)
        {
            await CreateAsync(org.Editor, new { name = $"more {i}", time_preset = new { kind = i % 2 == 0 ? "this_month" : "last_hour" } });
        }

        var five = await StatementsOfAsync(5);

        one.OrganizationReads.ShouldBeGreaterThan(0);
        five.ShouldBe(one);
    }

    /// <summary>Graphs that keep every rule, their query and visualization nodes pointing at the organization's items.</summary>
    private static Gen<JsonObject> ValidGraphs(Guid queryId, Guid visualizationId)
    {
        var config = Gen.Elements("{}", """{"b":1,"a":[true,null,"é"]}""", """{"markdown":"# *Notes* <b>"}""", """{"n":1.50,"deep":{"x":{"y":-0.0}}}""");
        var node = Gen.Elements("query", "visualization", "text", "filter")
            .SelectMany(type => Gen.Choose(-100_000, 100_000).Two().SelectMany(position => Gen.Choose(3, 15_000).Two().SelectMany(size => config.Select(c => new JsonObject
            {
                ["type"] = type,
                ["ref_id"] = type switch { "query" => queryId, "visualization" => visualizationId, _ => (JsonNode?)null },
                ["position"] = new JsonObject { ["x"] = position.Item1 / 7.0, ["y"] = position.Item2 },
                ["size"] = new JsonObject { ["w"] = size.Item1 / 3.0, ["h"] = size.Item2 },
                ["config"] = JsonNode.Parse(c),
            }))));
        return Gen.Choose(0, 30)
            .SelectMany(count => node.ArrayOf(count))
            .SelectMany(nodes => Gen.Choose(0, Math.Max(0, nodes.Length - 1)).Two().ArrayOf().Select(pairs =>
            {
                var ids = nodes.Select((_, i) => $"node-{i}").ToArray();
                var edges = pairs.Where(p => p.Item1 != p.Item2).Distinct()
                    .Select((p, i) => new JsonObject { ["id"] = $"e_{i}", ["source"] = ids[p.Item1], ["target"] = ids[p.Item2], ["label"] = i % 2 == 0 ? "feeds «this»" : null });
                return new JsonObject
                {
                    ["nodes"] = new JsonArray([.. nodes.Select((n, i) => { var copy = (JsonObject)n.DeepClone(); copy.Insert(0, "id", ids[i]); return (JsonNode)copy; })]),
                    ["edges"] = new JsonArray([.. edges]),
                };
            }));
    }

    [Fact]
    public async Task AnyValidGraph_RoundTripsThroughTheApiUnchanged()
    {
        var org = await OrganizationAsync();
        var (id, _) = await CreateWithGraphAsync(org);

        // FsCheck generates the graphs; each is a real PUT and GET, so a few dozen cases are enough.
        foreach (var graph in ValidGraphs(org.QueryId, org.VisualizationId).Sample(25, 25))
        {
            using var put = new HttpRequestMessage(HttpMethod.Put, $"{Url}/{id}/graph") { Content = new StringContent(graph.ToJsonString(), System.Text.Encoding.UTF8, "application/json") };
            var answer = await OkAsync(await org.Editor.Client.SendAsync(put, Ct));
            var (read, _) = await ReadAsync(org.Viewer, id);
            var stored = JsonNode.Parse(read)!.AsObject();

            foreach (var part in new[] { "nodes", "edges" })
            {
                JsonNode.DeepEquals(stored[part], graph[part]).ShouldBeTrue($"{part}: sent {graph[part]!.ToJsonString()}, read {stored[part]!.ToJsonString()}");
                JsonNode.DeepEquals(JsonNode.Parse(answer.GetProperty(part).GetRawText()), stored[part]).ShouldBeTrue(part);
            }
        }
    }
}
