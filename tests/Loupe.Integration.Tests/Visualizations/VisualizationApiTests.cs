using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Loupe.Domain.Visualizations;
using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Runs;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Visualizations;

/// <summary>
/// /api/v1/visualizations: everyone reads, editors write; options are checked setting by setting, the
/// columns they name against the query's latest result; stale references are served as warnings.
/// The host runs the job engine, so a saved query's runs finish and leave a result with columns.
/// </summary>
public sealed class VisualizationApiTests(RunsApi api) : ResetBeforeEachTest(api), IClassFixture<RunsApi>
{
    private const string Url = "/api/v1/visualizations";

    /// <summary>One row whose columns every example's options name.</summary>
    private const string SalesSql = "SELECT current_date AS day, 'CH' AS country, 10.5 AS amount, 3 AS units, 12 AS target";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Valid options of every type, each naming only columns of <see cref="SalesSql"/>.</summary>
    public static TheoryData<string, string> OptionsOfEveryType() => new()
    {
        { "table", """{"columns":[{"column":"day","label":"Day","date_format":"YYYY-MM-DD"},{"column":"amount","visible":false,"number_format":{"decimals":2}}]}""" },
        { "line", """{"x_column":"day","series":[{"column":"amount","label":"Amount"}],"x_date_format":"YYYY-MM"}""" },
        { "bar", """{"x_column":"country","series":[{"column":"amount"},{"column":"units","y_axis":"right"}],"stacking":"normal"}""" },
        { "area", """{"x_column":"day","series":[{"column":"amount"}],"stacking":"percent","number_format":{"suffix":" CHF"}}""" },
        { "scatter", """{"x_column":"amount","series":[{"column":"units"}]}""" },
        { "pie", """{"value_column":"amount","label_column":"country","number_format":{"percent":true}}""" },
        { "counter", """{"value_column":"amount","target_column":"target","number_format":{"prefix":"$","decimals":0}}""" },
        { "pivot", """{"rows":["country"],"columns":["day"],"values":[{"column":"amount","aggregation":"sum"},{"column":"units","aggregation":"avg"}]}""" },
    };

    private sealed record Organization(Member Admin, Member Editor, Member Viewer, Guid SourceId, Guid QueryId);

    private async Task<Organization> OrganizationAsync(string sql = SalesSql)
    {
        var admin = await api.Identity.RegisterAsync();
        var editor = await api.Identity.AddMemberAsync(admin, "editor");
        var viewer = await api.Identity.AddMemberAsync(admin, "viewer");
        var source = await api.CreateSourceAsync(admin);
        var query = await CreateQueryAsync(editor, source, sql);
        return new Organization(admin, editor, viewer, source, query);
    }

    private static async Task<Guid> CreateQueryAsync(Member editor, Guid sourceId, string sql)
    {
        using var response = await editor.Client.PostAsJsonAsync("/api/v1/queries", new { name = $"sales {Guid.NewGuid():N}", sql, datasource_id = sourceId }, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
    }

    /// <summary>Runs the saved query and waits for it to succeed, so it has a latest result.</summary>
    private static async Task RunQueryAsync(Member member, Guid queryId)
    {
        using var response = await member.Client.PostAsJsonAsync($"/api/v1/queries/{queryId}/runs", new { }, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, text);
        var run = JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
        (await RunsApi.FinishedAsync(member, run)).GetProperty("status").GetString().ShouldBe("succeeded");
    }

    private static JsonObject Body(Guid queryId, string type, string options, string name = "Sales") => new()
    {
        ["query_id"] = queryId,
        ["name"] = name,
        ["type"] = type,
        ["options"] = JsonNode.Parse(options),
    };

    private static async Task<HttpResponseMessage> SendAsync(Member member, HttpMethod method, string url, JsonNode? body = null, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, url)
        {
            Content = body is null ? null : new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await member.Client.SendAsync(request, Ct);
    }

    private static async Task<(JsonElement Body, string ETag)> CreateAsync(Member member, JsonObject body)
    {
        using var response = await SendAsync(member, HttpMethod.Post, Url, body);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        return (JsonDocument.Parse(text).RootElement, response.Headers.ETag!.Tag);
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

    private static Dictionary<string, string[]> ErrorsOf(JsonElement problem) =>
        problem.GetProperty("errors").EnumerateObject()
            .ToDictionary(e => e.Name, e => e.Value.EnumerateArray().Select(m => m.GetString()!).ToArray(), StringComparer.Ordinal);

    private static List<Guid> Ids(JsonElement page) => [.. page.GetProperty("data").EnumerateArray().Select(v => v.GetProperty("id").GetGuid())];

    [Theory]
    [MemberData(nameof(OptionsOfEveryType))]
    public async Task Create_OfEveryType_AnswersItsCanonicalOptions_WithLocationAndETag(string type, string options)
    {
        var org = await OrganizationAsync();
        await RunQueryAsync(org.Editor, org.QueryId);

        using var response = await SendAsync(org.Editor, HttpMethod.Post, Url, Body(org.QueryId, type, options, " Sales by day "));

        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        var created = JsonDocument.Parse(text).RootElement;
        var id = created.GetProperty("id").GetGuid();
        response.Headers.Location!.ToString().ShouldEndWith($"{Url}/{id}");
        response.Headers.ETag.ShouldNotBeNull().IsWeak.ShouldBeFalse();
        created.GetProperty("query_id").GetGuid().ShouldBe(org.QueryId);
        created.GetProperty("name").GetString().ShouldBe("Sales by day");
        created.GetProperty("type").GetString().ShouldBe(type);
        created.GetProperty("owner_id").GetGuid().ShouldBe(org.Editor.UserId);
        created.GetProperty("archived_at").ValueKind.ShouldBe(JsonValueKind.Null);
        created.GetProperty("warnings").GetArrayLength().ShouldBe(0);

        // What is answered is what was sent, in canonical form: the same settings, defaults written out.
        VisualizationTypes.TryParse(type, out var parsedType).ShouldBeTrue();
        using var sent = JsonDocument.Parse(options);
        var answered = VisualizationOptionsParser.Parse(parsedType, created.GetProperty("options"));
        answered.ShouldBe(VisualizationOptionsParser.Parse(parsedType, sent.RootElement));
        created.GetProperty("options").GetRawText().ShouldBe(answered.ToJson());

        var fetched = await OkAsync(await SendAsync(org.Viewer, HttpMethod.Get, $"{Url}/{id}"));
        fetched.GetProperty("options").GetRawText().ShouldBe(created.GetProperty("options").GetRawText());
        fetched.GetProperty("updated_at").GetString().ShouldBe(created.GetProperty("updated_at").GetString());
    }

    [Fact]
    public async Task Create_ReportsEveryBrokenSetting_InOneProblem_EachAtItsPath()
    {
        var org = await OrganizationAsync();
        var options = """{"x_column":"day","series":[{"column":"amount"},{"column":"units","y_axis":"up"},{"label":"no column"}],"stacking":"sideways","colour":"red"}""";

        var problem = await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Post, Url, Body(org.QueryId, "line", options)), HttpStatusCode.BadRequest);

        problem.GetProperty("code").GetString().ShouldBe("validation_failed");
        var errors = ErrorsOf(problem);
        errors.Keys.ShouldBe(["options.series[1].y_axis", "options.series[2].column", "options.stacking", "options.colour"], ignoreOrder: true);
        errors["options.colour"].Single().ShouldContain("line");
    }

    [Fact]
    public async Task Create_WithUnknownKeysOnly_AnswersTheirOwnCode_AtEveryPath()
    {
        var org = await OrganizationAsync();
        var options = """{"value_column":"amount","label_column":"country","donut":true,"number_format":{"decimals":1,"locale":"de"}}""";

        var problem = await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Post, Url, Body(org.QueryId, "pie", options)), HttpStatusCode.BadRequest);

        problem.GetProperty("code").GetString().ShouldBe("visualization.option_unknown");
        ErrorsOf(problem).Keys.ShouldBe(["options.donut", "options.number_format.locale"], ignoreOrder: true);
    }

    [Fact]
    public async Task Create_RefusesOptionsLargerThan64KiB_BeforeReadingThem()
    {
        var org = await OrganizationAsync();
        var options = new JsonObject
        {
            ["value_column"] = "amount",
            ["label_column"] = "country",
            ["padding"] = new string('x', 64 * 1024),
        };

        var problem = await ProblemAsync(
            await SendAsync(org.Editor, HttpMethod.Post, Url, Body(org.QueryId, "pie", options.ToJsonString())), HttpStatusCode.BadRequest);

        problem.GetProperty("code").GetString().ShouldBe("visualization.options_too_large");
        ErrorsOf(problem).Keys.ShouldBe(["options"]);
    }

    [Fact]
    public async Task Create_WithAnUnknownType_OrWithoutOptions_NamesTheField()
    {
        var org = await OrganizationAsync();

        var unknownType = await ProblemAsync(
            await SendAsync(org.Editor, HttpMethod.Post, Url, Body(org.QueryId, "donut", """{"value_column":"amount"}""")), HttpStatusCode.BadRequest);
        var noOptions = Body(org.QueryId, "counter", "{}");
        noOptions.Remove("options");
        var missing = await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Post, Url, noOptions), HttpStatusCode.BadRequest);

        unknownType.GetProperty("code").GetString().ShouldBe("visualization.type_unknown");
        ErrorsOf(unknownType).Keys.ShouldBe(["type"]);
        ErrorsOf(missing).Keys.ShouldContain("options");
    }

    [Fact]
    public async Task Create_OfAQueryOfAnotherOrganization_OrOfNone_IsTheSame400_AndOfAnArchivedQuery_A409()
    {
        var org = await OrganizationAsync();
        var other = await OrganizationAsync();
        var options = """{"value_column":"amount"}""";

        var foreign = await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Post, Url, Body(other.QueryId, "counter", options)), HttpStatusCode.BadRequest);
        var nowhere = await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Post, Url, Body(Guid.CreateVersion7(), "counter", options)), HttpStatusCode.BadRequest);
        (await SendAsync(org.Editor, HttpMethod.Delete, $"/api/v1/queries/{org.QueryId}")).Dispose();
        var archived = await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Post, Url, Body(org.QueryId, "counter", options)), HttpStatusCode.Conflict);

        foreign.GetProperty("code").GetString().ShouldBe("visualization.query_not_found");
        ErrorsOf(foreign).Keys.ShouldBe(["query_id"]);
        foreign.GetProperty("errors").GetRawText().ShouldBe(nowhere.GetProperty("errors").GetRawText());
        archived.GetProperty("code").GetString().ShouldBe("visualization.query_archived");
        (await OkAsync(await SendAsync(org.Viewer, HttpMethod.Get, Url))).GetProperty("data").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Create_NamingAColumnTheLatestResultLacks_IsA400AtEachPath_AndWithoutAResultNothingIsChecked()
    {
        var org = await OrganizationAsync();
        var options = """{"x_column":"day","series":[{"column":"amount"},{"column":"revenue"}],"number_format":{"decimals":2}}""";

        // Never run: there are no columns to check against.
        await CreateAsync(org.Editor, Body(org.QueryId, "bar", options, "Before any run"));
        await RunQueryAsync(org.Editor, org.QueryId);
        var problem = await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Post, Url, Body(org.QueryId, "bar", options)), HttpStatusCode.BadRequest);
        var pivot = """{"rows":["region"],"values":[{"column":"amount","aggregation":"sum"},{"column":"margin","aggregation":"max"}]}""";
        var both = await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Post, Url, Body(org.QueryId, "pivot", pivot)), HttpStatusCode.BadRequest);

        problem.GetProperty("code").GetString().ShouldBe("visualization.unknown_column");
        ErrorsOf(problem).Keys.ShouldBe(["options.series[1].column"]);
        ErrorsOf(problem)["options.series[1].column"].Single().ShouldContain("revenue");
        both.GetProperty("code").GetString().ShouldBe("visualization.unknown_column");
        ErrorsOf(both).Keys.ShouldBe(["options.rows[0]", "options.values[1].column"], ignoreOrder: true);
    }

    [Fact]
    public async Task WhenALaterRunChangesTheColumns_TheVisualizationIsServedWithWarnings_AndItsSettingsAsTheyWere()
    {
        var org = await OrganizationAsync();
        await RunQueryAsync(org.Editor, org.QueryId);
        var options = """{"x_column":"day","series":[{"column":"amount"},{"column":"units","y_axis":"right"}],"stacking":"normal"}""";
        var (created, _) = await CreateAsync(org.Editor, Body(org.QueryId, "bar", options));
        var id = created.GetProperty("id").GetGuid();

        // The query now answers "units" as "quantity" and no longer has "day".
        using (var changed = await SendAsync(org.Editor, HttpMethod.Patch, $"/api/v1/queries/{org.QueryId}", new JsonObject { ["sql"] = "SELECT 'CH' AS country, 10.5 AS amount, 3 AS quantity" }))
        {
            changed.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        await RunQueryAsync(org.Editor, org.QueryId);
        var fetched = await OkAsync(await SendAsync(org.Viewer, HttpMethod.Get, $"{Url}/{id}"));
        var listed = (await OkAsync(await SendAsync(org.Viewer, HttpMethod.Get, Url))).GetProperty("data").EnumerateArray().Single();

        foreach (var answer in new[] { fetched, listed })
        {
            answer.GetProperty("options").GetRawText().ShouldBe(created.GetProperty("options").GetRawText());
            var warnings = answer.GetProperty("warnings").EnumerateArray()
                .Select(w => (Code: w.GetProperty("code").GetString(), Path: w.GetProperty("path").GetString(), Column: w.GetProperty("column").GetString()))
                .ToList();
            warnings.ShouldBe([("visualization.unknown_column", "options.x_column", "day"), ("visualization.unknown_column", "options.series[1].column", "units")]);
        }

        // Renaming does not touch the settings, so it is not held up by them; new settings are checked against the new columns.
        var renamed = await OkAsync(await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{id}", new JsonObject { ["name"] = "Renamed" }));
        renamed.GetProperty("warnings").GetArrayLength().ShouldBe(2);
        var stale = await ProblemAsync(
            await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{id}", new JsonObject { ["options"] = JsonNode.Parse(options) }), HttpStatusCode.BadRequest);
        ErrorsOf(stale).Keys.ShouldBe(["options.x_column", "options.series[1].column"], ignoreOrder: true);
        var healed = await OkAsync(await SendAsync(
            org.Editor, HttpMethod.Patch, $"{Url}/{id}", new JsonObject { ["options"] = JsonNode.Parse("""{"x_column":"country","series":[{"column":"amount"},{"column":"quantity"}]}""") }));
        healed.GetProperty("warnings").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Patch_IsAMergePatch_UnderIfMatch_AndAStaleTagIsA412()
    {
        var org = await OrganizationAsync();
        var (created, etag) = await CreateAsync(org.Editor, Body(org.QueryId, "line", """{"x_column":"day","series":[{"column":"amount"}]}"""));
        var id = created.GetProperty("id").GetGuid();

        using var changed = await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{id}", new JsonObject { ["description"] = "By day", ["tags"] = new JsonArray("Finance", "KPI") }, etag);
        var changedText = await changed.Content.ReadAsStringAsync(Ct);
        changed.StatusCode.ShouldBe(HttpStatusCode.OK, changedText);
        var newTag = changed.Headers.ETag!.Tag;
        newTag.ShouldNotBe(etag);
        var body = JsonDocument.Parse(changedText).RootElement;
        body.GetProperty("description").GetString().ShouldBe("By day");
        body.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ShouldBe(["finance", "kpi"]);
        body.GetProperty("name").GetString().ShouldBe("Sales");

        var stale = await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{id}", new JsonObject { ["name"] = "Lost update" }, etag), HttpStatusCode.PreconditionFailed);
        stale.GetProperty("code").GetString().ShouldBe("precondition_failed");
        await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Delete, $"{Url}/{id}", ifMatch: etag), HttpStatusCode.PreconditionFailed);

        var reset = await OkAsync(await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{id}", JsonNode.Parse("""{"description":null,"tags":null}"""), newTag));
        reset.GetProperty("description").ValueKind.ShouldBe(JsonValueKind.Null);
        reset.GetProperty("tags").GetArrayLength().ShouldBe(0);
        reset.GetProperty("name").GetString().ShouldBe("Sales");

        var required = await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{id}", JsonNode.Parse("""{"name":null,"options":null}""")), HttpStatusCode.BadRequest);
        ErrorsOf(required).Keys.ShouldBe(["name", "options"], ignoreOrder: true);
        var moved = await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{id}", new JsonObject { ["query_id"] = org.QueryId }), HttpStatusCode.BadRequest);
        ErrorsOf(moved).Keys.ShouldBe(["query_id"]);
    }

    [Fact]
    public async Task Patch_ANewTypeAlone_RereadsTheCurrentOptionsForIt_AndTypeWithOptionsChangeTogether()
    {
        var org = await OrganizationAsync();
        var (created, _) = await CreateAsync(org.Editor, Body(org.QueryId, "line", """{"x_column":"day","series":[{"column":"amount"}],"stacking":"normal"}"""));
        var id = created.GetProperty("id").GetGuid();

        var bar = await OkAsync(await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{id}", new JsonObject { ["type"] = "bar" }));
        var pie = await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{id}", new JsonObject { ["type"] = "pie" }), HttpStatusCode.BadRequest);
        var counter = await OkAsync(await SendAsync(
            org.Editor, HttpMethod.Patch, $"{Url}/{id}", new JsonObject { ["type"] = "counter", ["options"] = JsonNode.Parse("""{"value_column":"amount"}""") }));
        var wrong = await ProblemAsync(await SendAsync(
            org.Editor, HttpMethod.Patch, $"{Url}/{id}", new JsonObject { ["options"] = JsonNode.Parse("""{"x_column":"day","series":[{"column":"amount"}]}""") }), HttpStatusCode.BadRequest);

        bar.GetProperty("type").GetString().ShouldBe("bar");
        bar.GetProperty("options").GetRawText().ShouldBe(created.GetProperty("options").GetRawText());
        ErrorsOf(pie).Keys.ShouldBe(["options.x_column", "options.series", "options.stacking", "options.value_column", "options.label_column"], ignoreOrder: true);
        counter.GetProperty("type").GetString().ShouldBe("counter");
        counter.GetProperty("options").GetProperty("value_column").GetString().ShouldBe("amount");
        wrong.GetProperty("code").GetString().ShouldBe("validation_failed");
        ErrorsOf(wrong).Keys.ShouldBe(["options.x_column", "options.series", "options.value_column"], ignoreOrder: true);
        (await OkAsync(await SendAsync(org.Viewer, HttpMethod.Get, $"{Url}/{id}"))).GetProperty("type").GetString().ShouldBe("counter");
    }

    [Fact]
    public async Task Delete_Archives_HidingItFromTheList_UntilRestored()
    {
        var org = await OrganizationAsync();
        var (kept, _) = await CreateAsync(org.Editor, Body(org.QueryId, "counter", """{"value_column":"amount"}""", "Kept"));
        var (gone, _) = await CreateAsync(org.Editor, Body(org.QueryId, "counter", """{"value_column":"units"}""", "Gone"));
        var goneId = gone.GetProperty("id").GetGuid();

        using (var deleted = await SendAsync(org.Editor, HttpMethod.Delete, $"{Url}/{goneId}"))
        {
            deleted.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        Ids(await OkAsync(await SendAsync(org.Viewer, HttpMethod.Get, Url))).ShouldBe([kept.GetProperty("id").GetGuid()]);
        var inArchive = await OkAsync(await SendAsync(org.Viewer, HttpMethod.Get, $"{Url}?status=archived"));
        Ids(inArchive).ShouldBe([goneId]);
        inArchive.GetProperty("data")[0].GetProperty("status").GetString().ShouldBe("archived");
        Ids(await OkAsync(await SendAsync(org.Viewer, HttpMethod.Get, $"{Url}?status=active"))).ShouldBe([kept.GetProperty("id").GetGuid()]);
        var archived = await OkAsync(await SendAsync(org.Viewer, HttpMethod.Get, $"{Url}/{goneId}"));
        archived.GetProperty("archived_at").ValueKind.ShouldBe(JsonValueKind.String);
        archived.GetProperty("status").GetString().ShouldBe("archived");
        var locked = await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{goneId}", new JsonObject { ["name"] = "Changed" }), HttpStatusCode.Conflict);
        locked.GetProperty("code").GetString().ShouldBe("visualization.archived");
        using (var again = await SendAsync(org.Editor, HttpMethod.Delete, $"{Url}/{goneId}"))
        {
            again.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        var restored = await OkAsync(await SendAsync(org.Editor, HttpMethod.Post, $"{Url}/{goneId}/restore"));

        restored.GetProperty("archived_at").ValueKind.ShouldBe(JsonValueKind.Null);
        restored.GetProperty("status").GetString().ShouldBe("active");
        restored.GetProperty("options").GetRawText().ShouldBe(gone.GetProperty("options").GetRawText());
        Ids(await OkAsync(await SendAsync(org.Viewer, HttpMethod.Get, Url))).Count.ShouldBe(2);
        Ids(await OkAsync(await SendAsync(org.Viewer, HttpMethod.Get, $"{Url}?status=archived"))).ShouldBeEmpty();
        await ProblemAsync(await SendAsync(org.Viewer, HttpMethod.Get, $"{Url}/{Guid.CreateVersion7()}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Viewers_Read_AndOnlyEditorsAndAdminsWrite()
    {
        var org = await OrganizationAsync();
        var (created, _) = await CreateAsync(org.Admin, Body(org.QueryId, "counter", """{"value_column":"amount"}"""));
        var id = created.GetProperty("id").GetGuid();

        (await OkAsync(await SendAsync(org.Viewer, HttpMethod.Get, $"{Url}/{id}"))).GetProperty("id").GetGuid().ShouldBe(id);
        Ids(await OkAsync(await SendAsync(org.Viewer, HttpMethod.Get, Url))).ShouldBe([id]);
        var refused = new[]
        {
            await SendAsync(org.Viewer, HttpMethod.Post, Url, Body(org.QueryId, "counter", """{"value_column":"amount"}""")),
            await SendAsync(org.Viewer, HttpMethod.Patch, $"{Url}/{id}", new JsonObject { ["name"] = "Mine" }),
            await SendAsync(org.Viewer, HttpMethod.Delete, $"{Url}/{id}"),
            await SendAsync(org.Viewer, HttpMethod.Post, $"{Url}/{id}/restore"),
        };
        foreach (var response in refused)
        {
            (await ProblemAsync(response, HttpStatusCode.Forbidden)).GetProperty("code").GetString().ShouldBe("forbidden");
        }

        (await OkAsync(await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{id}", new JsonObject { ["name"] = "Edited" }))).GetProperty("name").GetString().ShouldBe("Edited");
        using var anonymous = api.Factory.CreateClient();
        using var unauthenticated = await anonymous.GetAsync(Url, Ct);
        await unauthenticated.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task List_FiltersByQueryTypeTagsAndText_SortsAndPages()
    {
        var org = await OrganizationAsync();
        var second = await CreateQueryAsync(org.Editor, org.SourceId, SalesSql);
        var revenue = (await CreateAsync(org.Editor, Body(org.QueryId, "counter", """{"value_column":"amount"}""", "Revenue"))).Body.GetProperty("id").GetGuid();
        var byDay = Body(org.QueryId, "line", """{"x_column":"day","series":[{"column":"amount"}]}""", "Amount by day");
        byDay["tags"] = new JsonArray("Finance");
        var amount = (await CreateAsync(org.Editor, byDay)).Body.GetProperty("id").GetGuid();
        var units = (await CreateAsync(org.Editor, Body(second, "counter", """{"value_column":"units"}""", "Units"))).Body.GetProperty("id").GetGuid();

        Ids(await OkAsync(await SendAsync(org.Viewer, HttpMethod.Get, $"{Url}?query_id={org.QueryId}&sort=name"))).ShouldBe([amount, revenue]);
        Ids(await OkAsync(await SendAsync(org.Viewer, HttpMethod.Get, $"{Url}?type=counter&sort=-name"))).ShouldBe([units, revenue]);
        Ids(await OkAsync(await SendAsync(org.Viewer, HttpMethod.Get, $"{Url}?tags=FINANCE"))).ShouldBe([amount]);
        Ids(await OkAsync(await SendAsync(org.Viewer, HttpMethod.Get, $"{Url}?q=REVEN"))).ShouldBe([revenue]);
        Ids(await OkAsync(await SendAsync(org.Viewer, HttpMethod.Get, $"{Url}?sort=created_at"))).ShouldBe([revenue, amount, units]);
        var page = await OkAsync(await SendAsync(org.Viewer, HttpMethod.Get, $"{Url}?sort=name&per_page=2&page=2"));
        Ids(page).ShouldBe([units]);
        page.GetProperty("pagination").GetProperty("total").GetInt64().ShouldBe(3);

        var bad = await ProblemAsync(await SendAsync(org.Viewer, HttpMethod.Get, $"{Url}?type=donut&status=maybe&sort=owner&query_id=x"), HttpStatusCode.BadRequest);
        ErrorsOf(bad).Keys.ShouldBe(["type", "status", "sort", "query_id"], ignoreOrder: true);
        var retired = await ProblemAsync(await SendAsync(org.Viewer, HttpMethod.Get, $"{Url}?archived=true"), HttpStatusCode.BadRequest);
        retired.GetProperty("code").GetString().ShouldBe("unknown_query_parameter");
        var misspelt = await ProblemAsync(await SendAsync(org.Viewer, HttpMethod.Get, $"{Url}?tag=finance"), HttpStatusCode.BadRequest);
        misspelt.GetProperty("code").GetString().ShouldBe("unknown_query_parameter");
    }

    [Fact]
    public async Task EveryChange_IsAudited()
    {
        var org = await OrganizationAsync();
        var (created, _) = await CreateAsync(org.Editor, Body(org.QueryId, "counter", """{"value_column":"amount"}"""));
        var id = created.GetProperty("id").GetGuid();
        (await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{id}", new JsonObject { ["name"] = "Renamed" })).Dispose();
        (await SendAsync(org.Editor, HttpMethod.Delete, $"{Url}/{id}")).Dispose();
        (await SendAsync(org.Editor, HttpMethod.Post, $"{Url}/{id}/restore")).Dispose();

        var events = (await IdentityApi.GetRowsAsync(org.Admin.Client, "/api/v1/audit-events?per_page=100"))
            .Where(e => e.GetProperty("action").GetString()!.StartsWith("visualization.", StringComparison.Ordinal))
            .ToList();

        events.Select(e => e.GetProperty("action").GetString()).ShouldBe(
            ["visualization.created", "visualization.updated", "visualization.archived", "visualization.restored"], ignoreOrder: true);
        events.ShouldAllBe(e => e.GetProperty("actor_id").GetGuid() == org.Editor.UserId && e.GetProperty("target_id").GetGuid() == id);
    }
}
