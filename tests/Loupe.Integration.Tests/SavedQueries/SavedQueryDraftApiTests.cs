using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.SavedQueries;

/// <summary>The editor's reads and writes around saved queries: a version by number, restoring it, forking, and checking a draft.</summary>
public sealed class SavedQueryDraftApiTests(IdentityApi api) : ResetBeforeEachTest(api), IClassFixture<IdentityApi>
{
    private const string Url = "/api/v1/queries";
    private readonly IdentityDriver _identity = api.Identity;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AVersion_IsReadByNumber_AndRestoringItMakesANewVersion_UnderIfMatch()
    {
        var (admin, editor, viewer, source) = await OrganizationAsync();
        var (query, _) = await CreateAsync(editor, source, "Revenue", "select 1 as first");
        var id = query.GetProperty("id").GetGuid();
        var (_, etag) = await SendAsync(editor, HttpMethod.Patch, $"{Url}/{id}", new { sql = "select 2 as second" });

        var one = await IdentityApi.GetOkAsync(viewer.Client, $"{Url}/{id}/versions/1");
        one.GetProperty("version").GetInt32().ShouldBe(1);
        one.GetProperty("sql").GetString().ShouldBe("select 1 as first");
        (await SendRawAsync(viewer, HttpMethod.Get, $"{Url}/{id}/versions/7")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await SendRawAsync(viewer, HttpMethod.Get, $"{Url}/{Guid.NewGuid()}/versions/1")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await SendRawAsync(viewer, HttpMethod.Post, $"{Url}/{id}/versions/1/restore")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await SendRawAsync(editor, HttpMethod.Post, $"{Url}/{id}/versions/1/restore", ifMatch: "\"1\"")).StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);

        var (restored, restoredTag) = await SendAsync(editor, HttpMethod.Post, $"{Url}/{id}/versions/1/restore", ifMatch: etag);

        restored.GetProperty("version").GetInt32().ShouldBe(3);
        restored.GetProperty("sql").GetString().ShouldBe("select 1 as first");
        restoredTag.ShouldNotBe(etag);
        var versions = await IdentityApi.GetRowsAsync(viewer.Client, $"{Url}/{id}/versions");
        versions.Select(v => v.GetProperty("sql").GetString()).ShouldBe(["select 1 as first", "select 2 as second", "select 1 as first"]);

        // Restoring the current content records nothing.
        var (again, _) = await SendAsync(editor, HttpMethod.Post, $"{Url}/{id}/versions/3/restore");
        again.GetProperty("version").GetInt32().ShouldBe(3);

        using (var archive = await admin.Client.DeleteAsync($"{Url}/{id}", Ct))
        {
            archive.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        var archived = await SendRawAsync(editor, HttpMethod.Post, $"{Url}/{id}/versions/1/restore");
        (await archived.ShouldBeProblemAsync(HttpStatusCode.Conflict)).GetProperty("code").GetString().ShouldBe("query.archived");
    }

    [Fact]
    public async Task Fork_NamesCopiesWithoutDuplicates_TakesANameAndVersion_AndRecordsWhereItCameFrom()
    {
        var (_, editor, _, source) = await OrganizationAsync();
        var (query, _) = await CreateAsync(editor, source, "Revenue", "select 1 as first");
        var id = query.GetProperty("id").GetGuid();
        await SendAsync(editor, HttpMethod.Patch, $"{Url}/{id}", new { sql = "select 2 as second" });

        var first = await ForkAsync(editor, id, null);
        var second = await ForkAsync(editor, id, null);
        var third = await ForkAsync(editor, id, new { });
        var named = await ForkAsync(editor, id, new { name = "Revenue, as it began", version = 1 });

        first.GetProperty("name").GetString().ShouldBe("Copy of Revenue");
        second.GetProperty("name").GetString().ShouldBe("Copy of Revenue (2)");
        third.GetProperty("name").GetString().ShouldBe("Copy of Revenue (3)");
        first.GetProperty("sql").GetString().ShouldBe("select 2 as second");
        first.GetProperty("forked_from").GetProperty("query_id").GetGuid().ShouldBe(id);
        first.GetProperty("forked_from").GetProperty("version").GetInt32().ShouldBe(2);
        first.GetProperty("version").GetInt32().ShouldBe(1);
        named.GetProperty("name").GetString().ShouldBe("Revenue, as it began");
        named.GetProperty("sql").GetString().ShouldBe("select 1 as first");
        named.GetProperty("forked_from").GetProperty("version").GetInt32().ShouldBe(1);
        query.GetProperty("forked_from").ValueKind.ShouldBe(JsonValueKind.Null);

        (await SendRawAsync(editor, HttpMethod.Post, $"{Url}/{id}/fork", new { version = 9 })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await SendRawAsync(editor, HttpMethod.Post, $"{Url}/{id}/fork", new { name = "" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Validate_AnswersTheFindingsOfADraft_WithoutSavingIt()
    {
        var (_, editor, viewer, _) = await OrganizationAsync();

        var valid = await ValidateAsync(editor, new
        {
            sql = "select * from orders where country = {{ country }} and day >= {{ period.start }}",
            parameters = new object[] { new { name = "country", type = "text" }, new { name = "period", type = "date_range" } },
        });
        var broken = await ValidateAsync(editor, new
        {
            sql = "select 1,\n  {{ missing }};\ndelete from orders",
            parameters = new object[] { new { name = "unused", type = "number" } },
        });

        valid.GetProperty("valid").GetBoolean().ShouldBeTrue(valid.ToString());
        valid.GetProperty("problems").GetArrayLength().ShouldBe(0);
        valid.GetProperty("placeholders").EnumerateArray().Select(p => p.GetString()).ShouldBe(["country", "period"]);
        broken.GetProperty("valid").GetBoolean().ShouldBeFalse();
        var problems = broken.GetProperty("problems").EnumerateArray().ToList();
        problems.ShouldContain(
            p => p.GetProperty("code").GetString() == "parameter.placeholder_unknown" && p.GetProperty("field").GetString() == "sql"
                && p.GetProperty("message").GetString()!.Contains("line 2, column 3", StringComparison.Ordinal),
            broken.ToString());
        problems.ShouldContain(p => p.GetProperty("field").GetString() == "parameters[0].name", broken.ToString());
        problems.ShouldContain(p => p.GetProperty("field").GetString() == "sql" && p.GetProperty("code").GetString() != "parameter.placeholder_unknown", broken.ToString());
        (await IdentityApi.GetRowsAsync(editor.Client, Url)).ShouldBeEmpty();

        (await SendRawAsync(viewer, HttpMethod.Post, $"{Url}/validate", new { sql = "select 1" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var empty = await SendRawAsync(editor, HttpMethod.Post, $"{Url}/validate", new { sql = "" });
        (await empty.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("sql", out _).ShouldBeTrue();
    }

    private async Task<(Member Admin, Member Editor, Member Viewer, Guid Source)> OrganizationAsync()
    {
        var admin = await _identity.RegisterAsync();
        var editor = await _identity.AddMemberAsync(admin, "editor");
        var viewer = await _identity.AddMemberAsync(admin, "viewer");
        var source = (await IdentityApi.CreateDataSourceAsync(admin)).GetProperty("id").GetGuid();
        return (admin, editor, viewer, source);
    }

    private static async Task<(JsonElement Body, string ETag)> CreateAsync(Member member, Guid source, string name, string sql)
    {
        using var response = await member.Client.PostAsJsonAsync(Url, new { name, sql, datasource_id = source }, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        return (JsonDocument.Parse(text).RootElement, response.Headers.ETag!.Tag);
    }

    private static async Task<JsonElement> ForkAsync(Member member, Guid id, object? body)
    {
        using var response = body is null
            ? await member.Client.PostAsync($"{Url}/{id}/fork", null, Ct)
            : await member.Client.PostAsJsonAsync($"{Url}/{id}/fork", body, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement;
    }

    private static async Task<JsonElement> ValidateAsync(Member member, object body)
    {
        using var response = await member.Client.PostAsJsonAsync($"{Url}/validate", body, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement;
    }

    private static async Task<(JsonElement Body, string ETag)> SendAsync(Member member, HttpMethod method, string url, object? body = null, string? ifMatch = null)
    {
        using var response = await SendRawAsync(member, method, url, body, ifMatch);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return (JsonDocument.Parse(text).RootElement, response.Headers.ETag!.Tag);
    }

    private static async Task<HttpResponseMessage> SendRawAsync(Member member, HttpMethod method, string url, object? body = null, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await member.Client.SendAsync(request, Ct);
    }
}
