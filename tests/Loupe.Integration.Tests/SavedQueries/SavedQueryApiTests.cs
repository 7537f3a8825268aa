using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.SavedQueries;

/// <summary>/api/v1/queries: everyone reads, editors and admins write; archived queries leave lists but not history.</summary>
public sealed class SavedQueryApiTests(IdentityApi api) : ResetBeforeEachTest(api), IClassFixture<IdentityApi>
{
    private const string Url = "/api/v1/queries";
    private const string CountrySql = "SELECT * FROM orders WHERE country = {{ country }} AND day BETWEEN {{ period.start }} AND {{ period.end }}";
    private static readonly string[] OneTag = ["x"];
    private static readonly string[] FinanceKpi = ["Finance", "kpi"];
    private static readonly string[] Finance = ["finance"];
    private readonly IdentityDriver _identity = api.Identity;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>An organization with a data source (timeout 120 s), an admin, an editor and a viewer.</summary>
    private async Task<(Member Admin, Member Editor, Member Viewer, Guid DataSourceId)> OrganizationAsync()
    {
        var admin = await _identity.RegisterAsync();
        var editor = await _identity.AddMemberAsync(admin, "editor");
        var viewer = await _identity.AddMemberAsync(admin, "viewer");
        using var response = await admin.Client.PostAsJsonAsync(
            "/api/v1/datasources",
            new { name = $"dw {Guid.NewGuid():N}", type = "postgresql", settings = new { host = "db.example.com", database = "dw", username = "reader" }, query_timeout_seconds = 120 },
            Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var dataSource = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return (admin, editor, viewer, dataSource.GetProperty("id").GetGuid());
    }

    private static object CountryQuery(Guid dataSourceId, string name = "Orders by country") => new
    {
        name,
        description = "Orders of one country in a period",
        sql = CountrySql,
        datasource_id = dataSourceId,
        parameters = new object[]
        {
            new { name = "country", type = "enum", title = "Country", options = new[] { "CH", "FR" }, @default = "CH" },
            new { name = "period", type = "date_range" },
        },
        tags = new[] { "Sales", " sales ", "KPI" },
        timeout_seconds = 60,
    };

    private static async Task<(JsonElement Body, string ETag)> CreateAsync(Member member, object body)
    {
        using var response = await member.Client.PostAsJsonAsync(Url, body, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        return (JsonDocument.Parse(text).RootElement, response.Headers.ETag!.Tag);
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

    private static string WithoutTimestamps(JsonElement query)
    {
        var copy = JsonNode.Parse(query.GetRawText())!.AsObject();
        copy.Remove("created_at");
        copy.Remove("updated_at");
        return copy.ToJsonString();
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        using (response)
        {
            return await response.ShouldBeProblemAsync(status);
        }
    }

    [Fact]
    public async Task Create_AnswersTheQueryAtVersionOne_WithLocationAndETag()
    {
        var (_, editor, _, dataSourceId) = await OrganizationAsync();

        using var response = await editor.Client.PostAsJsonAsync(Url, CountryQuery(dataSourceId), Ct);

        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        var created = JsonDocument.Parse(text).RootElement;
        var id = created.GetProperty("id").GetGuid();
        response.Headers.Location!.ToString().ShouldEndWith($"{Url}/{id}");
        response.Headers.ETag.ShouldNotBeNull().IsWeak.ShouldBeFalse();
        created.GetProperty("name").GetString().ShouldBe("Orders by country");
        created.GetProperty("sql").GetString().ShouldBe(CountrySql);
        created.GetProperty("datasource_id").GetGuid().ShouldBe(dataSourceId);
        created.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ShouldBe(["sales", "kpi"]);
        created.GetProperty("timeout_seconds").GetInt32().ShouldBe(60);
        created.GetProperty("owner_id").GetGuid().ShouldBe(editor.UserId);
        created.GetProperty("version").GetInt32().ShouldBe(1);
        created.GetProperty("status").GetString().ShouldBe("active");
        created.GetProperty("archived_at").ValueKind.ShouldBe(JsonValueKind.Null);
        var parameters = created.GetProperty("parameters").EnumerateArray().ToList();
        parameters[0].GetProperty("name").GetString().ShouldBe("country");
        parameters[0].GetProperty("type").GetString().ShouldBe("enum");
        parameters[0].GetProperty("title").GetString().ShouldBe("Country");
        parameters[0].GetProperty("required").GetBoolean().ShouldBeTrue();
        parameters[0].GetProperty("default").GetString().ShouldBe("CH");
        parameters[0].GetProperty("options").EnumerateArray().Select(o => o.GetString()).ShouldBe(["CH", "FR"]);
        parameters[1].GetProperty("type").GetString().ShouldBe("date_range");
        parameters[1].GetProperty("options").ValueKind.ShouldBe(JsonValueKind.Null);

        // The database keeps microseconds; the answer to the create has the clock's full precision.
        var fetched = await OkAsync(await SendAsync(editor, HttpMethod.Get, $"{Url}/{id}"));
        WithoutTimestamps(fetched).ShouldBe(WithoutTimestamps(created));
        fetched.GetProperty("created_at").GetDateTimeOffset().ShouldBe(created.GetProperty("created_at").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
    }

    public static TheoryData<string, string> BrokenBodies() => new()
    {
        { """{"name":"","sql":"SELECT 1","datasource_id":"{ds}"}""", "name" },
        { """{"name":"q","sql":"","datasource_id":"{ds}"}""", "sql" },
        { """{"name":"q","sql":"SELECT 1"}""", "datasource_id" },
        { """{"name":"q","sql":"SELECT 1","datasource_id":"0190f5c2-7b1e-7cc0-9a4e-5f1f0f6f2d3a"}""", "datasource_id" },
        { """{"name":"q","sql":"SELECT 1","datasource_id":"{ds}","timeout_seconds":121}""", "timeout_seconds" },
        { """{"name":"q","sql":"SELECT 1","datasource_id":"{ds}","timeout_seconds":-1}""", "timeout_seconds" },
        { """{"name":"q","sql":"SELECT {{ region }}","datasource_id":"{ds}"}""", "sql" },
        { """{"name":"q","sql":"SELECT 1","datasource_id":"{ds}","parameters":[{"name":"region","type":"text"}]}""", "parameters[0].name" },
        { """{"name":"q","sql":"SELECT {{ r }}","datasource_id":"{ds}","parameters":[{"name":"r","type":"decimal"}]}""", "parameters[0].type" },
        { """{"name":"q","sql":"SELECT {{ r }}","datasource_id":"{ds}","parameters":[{"name":"r","type":"date","default":"soon"}]}""", "parameters[0].default" },
        { """{"name":"q","sql":"SELECT {{ r }}","datasource_id":"{ds}","parameters":[{"name":"r","type":"enum"}]}""", "parameters[0].options" },
        { """{"name":"q","sql":"SELECT $1","datasource_id":"{ds}"}""", "sql" },
        { """{"name":"q","sql":"SELECT 1","datasource_id":"{ds}","tags":["a","b","c","d","e","f","g","h","i","j","k","l","m","n","o","p","q","r","s","t","u"]}""", "tags" },
        { """{"name":"q","sql":"SELECT 1","datasource_id":"{ds}","tags":["  "]}""", "tags" },
        { """{"name":"q","sql":"UPDATE t SET x = 1","datasource_id":"{ds}"}""", "sql" },
        { """{"name":"q","sql":"SELECT '\u0000'","datasource_id":"{ds}"}""", "sql" },
        { """{"name":"q","sql":"SELECT {{ p }}","datasource_id":"{ds}","parameters":[{"name":"p","type":"text","default":"a\u0000"}]}""", "parameters[0].default" },
    };

    [Theory]
    [MemberData(nameof(BrokenBodies))]
    public async Task Create_WithABrokenField_IsAValidationProblemNamingIt(string body, string field)
    {
        var (_, editor, _, dataSourceId) = await OrganizationAsync();

        using var response = await editor.Client.PostAsync(
            Url, new StringContent(body.Replace("{ds}", dataSourceId.ToString(), StringComparison.Ordinal), Encoding.UTF8, "application/json"), Ct);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(problem.GetRawText());
        (await IdentityApi.GetRowsAsync(editor.Client, Url)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Create_WithUnsafeSql_NamesTheTokenAndItsPositionInTheTextAsWritten()
    {
        var (_, editor, _, dataSourceId) = await OrganizationAsync();
        var sql = "SELECT {{ country }},\n  pg_read_file('/etc/passwd')";

        using var response = await editor.Client.PostAsJsonAsync(
            Url, new { name = "q", sql, datasource_id = dataSourceId, parameters = new[] { new { name = "country", type = "text" } } }, Ct);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var message = problem.GetProperty("errors").GetProperty("sql").EnumerateArray().Single().GetString()!;
        message.ShouldContain($"`pg_read_file` at position {sql.IndexOf("pg_read_file", StringComparison.Ordinal)} (line 2, column 3)");
    }

    [Fact]
    public async Task Create_ReportsEveryBrokenFieldAtOnce()
    {
        var (_, editor, _, dataSourceId) = await OrganizationAsync();

        using var response = await editor.Client.PostAsJsonAsync(
            Url,
            new
            {
                name = "q",
                sql = "SELECT {{ a }}",
                datasource_id = dataSourceId,
                parameters = new[] { new { name = "b", type = "text" } },
                tags = new[] { new string('t', 51) },
                timeout_seconds = 500,
            },
            Ct);

        var errors = (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        errors.EnumerateObject().Select(e => e.Name).ShouldBe(["sql", "parameters[0].name", "tags", "timeout_seconds"], ignoreOrder: true);
    }

    [Fact]
    public async Task Viewers_Read_ButOnlyEditorsAndAdminsWrite()
    {
        var (admin, editor, viewer, dataSourceId) = await OrganizationAsync();
        var (query, _) = await CreateAsync(editor, CountryQuery(dataSourceId));
        var id = query.GetProperty("id").GetGuid();

        await OkAsync(await SendAsync(viewer, HttpMethod.Get, $"{Url}/{id}"));
        await OkAsync(await SendAsync(viewer, HttpMethod.Get, $"{Url}/{id}/versions"));
        (await IdentityApi.GetRowsAsync(viewer.Client, Url)).ShouldHaveSingleItem();
        await ProblemAsync(await SendAsync(viewer, HttpMethod.Post, Url, CountryQuery(dataSourceId)), HttpStatusCode.Forbidden);
        await ProblemAsync(await SendAsync(viewer, HttpMethod.Patch, $"{Url}/{id}", new { name = "mine" }), HttpStatusCode.Forbidden);
        await ProblemAsync(await SendAsync(viewer, HttpMethod.Delete, $"{Url}/{id}"), HttpStatusCode.Forbidden);
        await ProblemAsync(await SendAsync(viewer, HttpMethod.Post, $"{Url}/{id}/restore"), HttpStatusCode.Forbidden);
        await ProblemAsync(await SendAsync(viewer, HttpMethod.Post, $"{Url}/{id}/fork"), HttpStatusCode.Forbidden);

        await OkAsync(await SendAsync(admin, HttpMethod.Patch, $"{Url}/{id}", new { name = "Renamed by the admin" }));
        (await IdentityApi.GetRowsAsync(viewer.Client, Url)).ShouldHaveSingleItem().GetProperty("name").GetString().ShouldBe("Renamed by the admin");
    }

    [Fact]
    public async Task Patch_IsAMergePatch_NullResetsOptionalFields_AbsentOnesStay_RequiredOnesRefuseNull()
    {
        var (admin, _, _, source) = await OrganizationAsync();
        var (created, _) = await CreateAsync(admin, CountryQuery(source));
        var id = created.GetProperty("id").GetGuid();

        var reset = await OkAsync(await SendAsync(admin, HttpMethod.Patch, $"{Url}/{id}", new { description = (string?)null, tags = (string[]?)null, timeout_seconds = (int?)null }));

        reset.GetProperty("description").ValueKind.ShouldBe(JsonValueKind.Null);
        reset.GetProperty("tags").GetArrayLength().ShouldBe(0);
        reset.GetProperty("timeout_seconds").ValueKind.ShouldBe(JsonValueKind.Null, "null goes back to the data source's timeout");
        reset.GetProperty("name").GetString().ShouldBe("Orders by country", "a field left out stays as it is");
        reset.GetProperty("parameters").GetArrayLength().ShouldBe(2);

        var problem = await ProblemAsync(await SendAsync(admin, HttpMethod.Patch, $"{Url}/{id}", new { sql = (string?)null, datasource_id = (Guid?)null }), HttpStatusCode.BadRequest);
        problem.GetProperty("errors").GetProperty("sql")[0].GetString()!.ShouldStartWith("sql: required");
        problem.GetProperty("errors").GetProperty("datasource_id")[0].GetString()!.ShouldStartWith("datasource_id: required");
    }

    [Fact]
    public async Task Patch_RecordsAVersionForEachNewSqlOrParameters_AndNoneForOtherChanges()
    {
        var (admin, editor, viewer, dataSourceId) = await OrganizationAsync();
        var (query, _) = await CreateAsync(editor, new { name = "Count", sql = "SELECT count(*) FROM orders", datasource_id = dataSourceId });
        var id = query.GetProperty("id").GetGuid();

        await OkAsync(await SendAsync(editor, HttpMethod.Patch, $"{Url}/{id}", new { name = "Orders", tags = OneTag, description = "All" }));
        await OkAsync(await SendAsync(admin, HttpMethod.Patch, $"{Url}/{id}", new { sql = "SELECT count(*) FROM orders WHERE day >= {{ since }}", parameters = new[] { new { name = "since", type = "date" } } }));
        await OkAsync(await SendAsync(editor, HttpMethod.Patch, $"{Url}/{id}", new { sql = "SELECT count(*) FROM orders WHERE day >= {{ since }}" }));
        var last = await OkAsync(await SendAsync(editor, HttpMethod.Patch, $"{Url}/{id}", new { parameters = new[] { new { name = "since", type = "date", title = "Since" } } }));

        last.GetProperty("version").GetInt32().ShouldBe(3);
        last.GetProperty("name").GetString().ShouldBe("Orders");
        last.GetProperty("description").GetString().ShouldBe("All");
        var versions = await IdentityApi.GetRowsAsync(viewer.Client, $"{Url}/{id}/versions");
        versions.Select(v => v.GetProperty("version").GetInt32()).ShouldBe([3, 2, 1]);
        versions[2].GetProperty("sql").GetString().ShouldBe("SELECT count(*) FROM orders");
        versions[2].GetProperty("creator_id").GetGuid().ShouldBe(editor.UserId);
        versions[1].GetProperty("sql").GetString()!.ShouldContain("{{ since }}");
        versions[1].GetProperty("creator_id").GetGuid().ShouldBe(admin.UserId);
        versions[1].GetProperty("parameters").EnumerateArray().Single().GetProperty("title").ValueKind.ShouldBe(JsonValueKind.Null);
        versions[0].GetProperty("parameters").EnumerateArray().Single().GetProperty("title").GetString().ShouldBe("Since");
        (await IdentityApi.GetRowsAsync(viewer.Client, $"{Url}/{id}/versions?sort=version&per_page=1")).Single().GetProperty("version").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task Patch_ChecksTheSqlAgainstTheParameters_AndTheTimeoutAgainstTheDataSource()
    {
        var (admin, editor, _, dataSourceId) = await OrganizationAsync();
        var (query, _) = await CreateAsync(editor, CountryQuery(dataSourceId));
        var id = query.GetProperty("id").GetGuid();
        var small = (await IdentityApi.CreateDataSourceAsync(admin)).GetProperty("id").GetGuid();

        var unused = await ProblemAsync(await SendAsync(editor, HttpMethod.Patch, $"{Url}/{id}", new { sql = "SELECT 1" }), HttpStatusCode.BadRequest);
        var tooLong = await ProblemAsync(await SendAsync(editor, HttpMethod.Patch, $"{Url}/{id}", new { timeout_seconds = 121 }), HttpStatusCode.BadRequest);
        var empty = await ProblemAsync(await SendAsync(editor, HttpMethod.Patch, $"{Url}/{id}", new { }), HttpStatusCode.BadRequest);
        var moved = await OkAsync(await SendAsync(editor, HttpMethod.Patch, $"{Url}/{id}", new { datasource_id = small, timeout_seconds = 0, description = "" }));

        unused.GetProperty("errors").TryGetProperty("parameters[0].name", out _).ShouldBeTrue(unused.GetRawText());
        tooLong.GetProperty("errors").GetProperty("timeout_seconds").EnumerateArray().Single().GetString()!.ShouldContain("120");
        empty.GetProperty("errors").TryGetProperty("body", out _).ShouldBeTrue();
        moved.GetProperty("datasource_id").GetGuid().ShouldBe(small);
        moved.GetProperty("timeout_seconds").ValueKind.ShouldBe(JsonValueKind.Null);
        moved.GetProperty("description").ValueKind.ShouldBe(JsonValueKind.Null);
        moved.GetProperty("version").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task Archive_HidesTheQueryFromLists_LeavesItReadable_AndRestoreBringsItBack()
    {
        var (_, editor, viewer, dataSourceId) = await OrganizationAsync();
        var (kept, _) = await CreateAsync(editor, CountryQuery(dataSourceId, "Kept"));
        var (archived, _) = await CreateAsync(editor, CountryQuery(dataSourceId, "Archived"));
        var id = archived.GetProperty("id").GetGuid();

        using (var delete = await SendAsync(editor, HttpMethod.Delete, $"{Url}/{id}"))
        {
            delete.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        using (var again = await SendAsync(editor, HttpMethod.Delete, $"{Url}/{id}"))
        {
            again.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        (await IdentityApi.GetRowsAsync(viewer.Client, Url)).Select(r => r.GetProperty("id").GetGuid()).ShouldBe([kept.GetProperty("id").GetGuid()]);
        var inArchive = (await IdentityApi.GetRowsAsync(viewer.Client, $"{Url}?status=archived")).ShouldHaveSingleItem();
        inArchive.GetProperty("id").GetGuid().ShouldBe(id);
        inArchive.GetProperty("status").GetString().ShouldBe("archived");
        inArchive.TryGetProperty("sql", out _).ShouldBeFalse();
        var one = await OkAsync(await SendAsync(viewer, HttpMethod.Get, $"{Url}/{id}"));
        one.GetProperty("status").GetString().ShouldBe("archived");
        one.GetProperty("archived_at").GetDateTimeOffset().ShouldBeGreaterThan(one.GetProperty("created_at").GetDateTimeOffset());
        var locked = await ProblemAsync(await SendAsync(editor, HttpMethod.Patch, $"{Url}/{id}", new { name = "x" }), HttpStatusCode.Conflict);
        locked.GetProperty("detail").GetString()!.ShouldContain("restore");

        var restored = await OkAsync(await SendAsync(editor, HttpMethod.Post, $"{Url}/{id}/restore"));

        restored.GetProperty("status").GetString().ShouldBe("active");
        (await IdentityApi.GetRowsAsync(viewer.Client, Url)).Count.ShouldBe(2);
        (await IdentityApi.GetRowsAsync(viewer.Client, $"{Url}?status=archived")).ShouldBeEmpty();
        await OkAsync(await SendAsync(editor, HttpMethod.Post, $"{Url}/{id}/restore"));
        await ProblemAsync(await SendAsync(viewer, HttpMethod.Get, $"{Url}?status=deleted"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Fork_CopiesTheQueryForTheCaller_StartingAgainAtVersionOne()
    {
        var (admin, editor, _, dataSourceId) = await OrganizationAsync();
        var (original, _) = await CreateAsync(admin, CountryQuery(dataSourceId));
        var id = original.GetProperty("id").GetGuid();
        await OkAsync(await SendAsync(admin, HttpMethod.Patch, $"{Url}/{id}", new { sql = CountrySql + " LIMIT 10" }));

        using var response = await SendAsync(editor, HttpMethod.Post, $"{Url}/{id}/fork");

        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        var copy = JsonDocument.Parse(text).RootElement;
        var copyId = copy.GetProperty("id").GetGuid();
        copyId.ShouldNotBe(id);
        response.Headers.Location!.ToString().ShouldEndWith($"{Url}/{copyId}");
        copy.GetProperty("name").GetString().ShouldBe("Copy of Orders by country");
        copy.GetProperty("owner_id").GetGuid().ShouldBe(editor.UserId);
        copy.GetProperty("sql").GetString().ShouldBe(CountrySql + " LIMIT 10");
        copy.GetProperty("parameters").GetRawText().ShouldBe(original.GetProperty("parameters").GetRawText());
        copy.GetProperty("tags").GetRawText().ShouldBe(original.GetProperty("tags").GetRawText());
        copy.GetProperty("version").GetInt32().ShouldBe(1);
        (await IdentityApi.GetRowsAsync(editor.Client, $"{Url}/{copyId}/versions")).ShouldHaveSingleItem().GetProperty("creator_id").GetGuid().ShouldBe(editor.UserId);
        (await IdentityApi.GetRowsAsync(editor.Client, $"{Url}/{id}/versions")).Count.ShouldBe(2);
    }

    [Fact]
    public async Task ETags_GiveNotModifiedReads_AndRefuseStaleChanges()
    {
        var (_, editor, viewer, dataSourceId) = await OrganizationAsync();
        var (query, created) = await CreateAsync(editor, CountryQuery(dataSourceId));
        var id = query.GetProperty("id").GetGuid();

        using (var read = await SendAsync(viewer, HttpMethod.Get, $"{Url}/{id}"))
        {
            read.Headers.ETag!.Tag.ShouldBe(created);
        }

        using (var notModified = await SendAsync(viewer, HttpMethod.Get, $"{Url}/{id}", ifNoneMatch: $"\"1\", W/{created}"))
        {
            notModified.StatusCode.ShouldBe(HttpStatusCode.NotModified);
            notModified.Headers.ETag!.Tag.ShouldBe(created);
            (await notModified.Content.ReadAsStringAsync(Ct)).ShouldBeEmpty();
        }

        using var patched = await SendAsync(editor, HttpMethod.Patch, $"{Url}/{id}", new { name = "First" }, ifMatch: created);
        patched.StatusCode.ShouldBe(HttpStatusCode.OK);
        var current = patched.Headers.ETag!.Tag;
        current.ShouldNotBe(created);

        var stale = await ProblemAsync(await SendAsync(editor, HttpMethod.Patch, $"{Url}/{id}", new { name = "Lost update" }, ifMatch: created), HttpStatusCode.PreconditionFailed);
        stale.GetProperty("detail").GetString()!.ShouldContain("If-Match");
        await ProblemAsync(await SendAsync(editor, HttpMethod.Patch, $"{Url}/{id}", new { name = "Weak" }, ifMatch: $"W/{current}"), HttpStatusCode.PreconditionFailed);
        await ProblemAsync(await SendAsync(editor, HttpMethod.Patch, $"{Url}/{id}", new { name = "Garbage" }, ifMatch: "\"not-ours\""), HttpStatusCode.PreconditionFailed);
        await ProblemAsync(await SendAsync(editor, HttpMethod.Delete, $"{Url}/{id}", ifMatch: created), HttpStatusCode.PreconditionFailed);
        await ProblemAsync(await SendAsync(editor, HttpMethod.Post, $"{Url}/{id}/restore", ifMatch: created), HttpStatusCode.PreconditionFailed);
        (await OkAsync(await SendAsync(viewer, HttpMethod.Get, $"{Url}/{id}"))).GetProperty("name").GetString().ShouldBe("First");

        await OkAsync(await SendAsync(editor, HttpMethod.Patch, $"{Url}/{id}", new { name = "Any version" }, ifMatch: "*"));
        using (var read = await SendAsync(viewer, HttpMethod.Get, $"{Url}/{id}", ifNoneMatch: current))
        {
            read.StatusCode.ShouldBe(HttpStatusCode.OK);
            current = read.Headers.ETag!.Tag;
        }

        using var archived = await SendAsync(editor, HttpMethod.Delete, $"{Url}/{id}", ifMatch: $"\"1\", {current}");
        archived.StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task List_FiltersSortsAndPages()
    {
        var (admin, editor, viewer, dataSourceId) = await OrganizationAsync();
        var other = (await IdentityApi.CreateDataSourceAsync(admin)).GetProperty("id").GetGuid();
        await CreateAsync(editor, new { name = "beta revenue", sql = "SELECT 1", datasource_id = dataSourceId, tags = FinanceKpi });
        await CreateAsync(admin, new { name = "Alpha", description = "Monthly REVENUE", sql = "SELECT 2", datasource_id = other, tags = Finance });
        await CreateAsync(editor, new { name = "gamma", sql = "SELECT 3", datasource_id = dataSourceId });

        async Task<List<string?>> NamesAsync(string query) =>
            [.. (await IdentityApi.GetRowsAsync(viewer.Client, $"{Url}?{query}")).Select(r => r.GetProperty("name").GetString())];

        (await NamesAsync("sort=name")).ShouldBe(["Alpha", "beta revenue", "gamma"]);
        (await NamesAsync(string.Empty)).ShouldBe(["gamma", "Alpha", "beta revenue"]);
        (await NamesAsync("q=revenue&sort=name")).ShouldBe(["Alpha", "beta revenue"]);
        (await NamesAsync("tags=FINANCE&sort=-name")).ShouldBe(["beta revenue", "Alpha"]);
        (await NamesAsync("tags=finance,KPI")).ShouldBe(["beta revenue"]);
        (await NamesAsync($"datasource_id={other}")).ShouldBe(["Alpha"]);
        (await NamesAsync($"owner_id={admin.UserId}")).ShouldBe(["Alpha"]);
        var page = await IdentityApi.GetOkAsync(viewer.Client, $"{Url}?sort=name&per_page=2&page=2");
        page.GetProperty("data").EnumerateArray().Single().GetProperty("name").GetString().ShouldBe("gamma");
        page.GetProperty("pagination").GetProperty("total").GetInt32().ShouldBe(3);
        page.GetProperty("pagination").GetProperty("has_prev").GetBoolean().ShouldBeTrue();

        var badSort = await ProblemAsync(await SendAsync(viewer, HttpMethod.Get, $"{Url}?sort=sql"), HttpStatusCode.BadRequest);
        badSort.GetProperty("errors").GetProperty("sort").EnumerateArray().Single().GetString()!.ShouldContain("name, created_at, updated_at");
        var badSource = await ProblemAsync(await SendAsync(viewer, HttpMethod.Get, $"{Url}?datasource_id=nope"), HttpStatusCode.BadRequest);
        badSource.GetProperty("errors").TryGetProperty("datasource_id", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task UnknownIds_AreNotFound()
    {
        var (_, editor, _, _) = await OrganizationAsync();
        var nowhere = $"{Url}/{Guid.CreateVersion7()}";

        await ProblemAsync(await SendAsync(editor, HttpMethod.Get, nowhere), HttpStatusCode.NotFound);
        await ProblemAsync(await SendAsync(editor, HttpMethod.Patch, nowhere, new { name = "x" }), HttpStatusCode.NotFound);
        await ProblemAsync(await SendAsync(editor, HttpMethod.Delete, nowhere), HttpStatusCode.NotFound);
        await ProblemAsync(await SendAsync(editor, HttpMethod.Post, $"{nowhere}/restore"), HttpStatusCode.NotFound);
        await ProblemAsync(await SendAsync(editor, HttpMethod.Post, $"{nowhere}/fork"), HttpStatusCode.NotFound);
        await ProblemAsync(await SendAsync(editor, HttpMethod.Get, $"{nowhere}/versions"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ADataSourceUsedByQueries_CannotBeDeleted_UntilTheyMove()
    {
        var (admin, editor, _, dataSourceId) = await OrganizationAsync();
        var target = (await IdentityApi.CreateDataSourceAsync(admin)).GetProperty("id").GetGuid();
        var (active, _) = await CreateAsync(editor, CountryQuery(dataSourceId, "Active"));
        var (archived, _) = await CreateAsync(editor, CountryQuery(dataSourceId, "Archived"));
        using (await SendAsync(editor, HttpMethod.Delete, $"{Url}/{archived.GetProperty("id").GetGuid()}"))
        {
        }

        var refused = await ProblemAsync(await SendAsync(admin, HttpMethod.Delete, $"/api/v1/datasources/{dataSourceId}"), HttpStatusCode.Conflict);

        refused.GetProperty("detail").GetString().ShouldBe(
            "2 saved queries use this data source (1 of them archived: restore those to change them). Point them at another data source first.");
        await OkAsync(await SendAsync(admin, HttpMethod.Get, $"/api/v1/datasources/{dataSourceId}"));

        foreach (var id in new[] { active.GetProperty("id").GetGuid(), archived.GetProperty("id").GetGuid() })
        {
            await OkAsync(await SendAsync(editor, HttpMethod.Post, $"{Url}/{id}/restore"));
            await OkAsync(await SendAsync(editor, HttpMethod.Patch, $"{Url}/{id}", new { datasource_id = target }));
        }

        using var deleted = await SendAsync(admin, HttpMethod.Delete, $"/api/v1/datasources/{dataSourceId}");
        deleted.StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task EveryChange_IsAudited()
    {
        var (admin, editor, _, dataSourceId) = await OrganizationAsync();
        var (query, _) = await CreateAsync(editor, CountryQuery(dataSourceId));
        var id = query.GetProperty("id").GetGuid();
        await OkAsync(await SendAsync(editor, HttpMethod.Patch, $"{Url}/{id}", new { name = "x" }));
        using (await SendAsync(editor, HttpMethod.Delete, $"{Url}/{id}"))
        {
        }

        await OkAsync(await SendAsync(editor, HttpMethod.Post, $"{Url}/{id}/restore"));
        using (await SendAsync(editor, HttpMethod.Post, $"{Url}/{id}/fork"))
        {
        }

        var actions = (await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/audit-events?per_page=100"))
            .Select(e => e.GetProperty("action").GetString()).ToList();
        actions.ShouldContain("query.created");
        actions.ShouldContain("query.updated");
        actions.ShouldContain("query.archived");
        actions.ShouldContain("query.restored");
        actions.ShouldContain("query.forked");
    }

    [Fact]
    public async Task ARemovedOwner_LeavesTheirQueriesAndVersionsBehind()
    {
        var (admin, editor, _, dataSourceId) = await OrganizationAsync();
        var (query, _) = await CreateAsync(editor, CountryQuery(dataSourceId));
        var id = query.GetProperty("id").GetGuid();

        using (var removed = await admin.Client.DeleteAsync($"/api/v1/organization/users/{editor.UserId}", Ct))
        {
            removed.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        var kept = await OkAsync(await SendAsync(admin, HttpMethod.Get, $"{Url}/{id}"));
        kept.GetProperty("owner_id").ValueKind.ShouldBe(JsonValueKind.Null);
        (await IdentityApi.GetRowsAsync(admin.Client, $"{Url}/{id}/versions")).Single().GetProperty("creator_id").ValueKind.ShouldBe(JsonValueKind.Null);
    }
}
