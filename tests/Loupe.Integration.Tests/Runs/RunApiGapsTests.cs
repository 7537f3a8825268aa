using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Loupe.Integration.Tests.Runs;

/// <summary>
/// The runs API against docs/api-conventions.md and ADR 0023 where it was thin: a saved-query run's own
/// <c>timeout_seconds</c>, an expired result (410), every field of a run, its <c>ETag</c>, and the
/// list's filters and paging.
/// </summary>
public sealed class RunApiGapsTests(RunsApi api) : ResetBeforeEachTest(api), IClassFixture<RunsApi>
{
    private const string CountTo = "select count(*) as n from generate_series(1, {{ upto }}) g";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SavedQueryRun_TimeoutSeconds_ReplacesTheQuerysTimeout_ForThatRunOnly()
    {
        var (admin, source) = await SetUpAsync();
        var queryId = await SaveQueryAsync(admin, source, CountTo, timeoutSeconds: 120);

        var limited = await RunSavedAsync(admin, queryId, new { parameters = new { upto = 2_000_000_000 }, timeout_seconds = 1 });
        var plain = await RunSavedAsync(admin, queryId, new { parameters = new { upto = 10 } });

        limited.GetProperty("timeout_seconds").GetInt32().ShouldBe(1);
        plain.GetProperty("timeout_seconds").GetInt32().ShouldBe(120);
        var timedOut = await RunsApi.FinishedAsync(admin, limited.GetProperty("id").GetGuid());
        timedOut.GetProperty("status").GetString().ShouldBe("timed_out", timedOut.ToString());
        timedOut.GetProperty("error").GetProperty("code").GetString().ShouldBe("57014");
        (await RunsApi.FinishedAsync(admin, plain.GetProperty("id").GetGuid())).GetProperty("status").GetString().ShouldBe("succeeded");
        (await IdentityApi.GetOkAsync(admin.Client, $"/api/v1/queries/{queryId}")).GetProperty("timeout_seconds").GetInt32().ShouldBe(120);
    }

    [Theory]
    [InlineData(31)]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task SavedQueryRun_TimeoutOutsideOneToTheDataSourcesTimeout_IsA400NamingIt_AndQueuesNothing(int timeoutSeconds)
    {
        var (admin, source) = await SetUpAsync();
        await PatchSourceTimeoutAsync(admin, source, 30);
        var queryId = await SaveQueryAsync(admin, source, CountTo);

        using var refused = await admin.Client.PostAsJsonAsync(
            $"/api/v1/queries/{queryId}/runs", new { parameters = new { upto = 3 }, timeout_seconds = timeoutSeconds }, Ct);

        (await refused.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("timeout_seconds", out _).ShouldBeTrue();
        (await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/runs")).ShouldBeEmpty();
        var atTheLimit = await RunSavedAsync(admin, queryId, new { parameters = new { upto = 3 }, timeout_seconds = 30 });
        atTheLimit.GetProperty("timeout_seconds").GetInt32().ShouldBe(30);
    }

    [Fact]
    public async Task SavedQueryRun_WhoseOwnTimeoutExceedsALoweredDataSourceTimeout_RunsAtTheDataSourcesTimeout()
    {
        var (admin, source) = await SetUpAsync();
        var queryId = await SaveQueryAsync(admin, source, CountTo, timeoutSeconds: 120);
        await PatchSourceTimeoutAsync(admin, source, 30);

        var run = await RunSavedAsync(admin, queryId, new { parameters = new { upto = 3 } });

        run.GetProperty("timeout_seconds").GetInt32().ShouldBe(30);
        (await RunsApi.FinishedAsync(admin, run.GetProperty("id").GetGuid())).GetProperty("status").GetString().ShouldBe("succeeded");
    }

    [Fact]
    public async Task MaxAge_ReusesAResultWhateverTimeoutItRanWith_ButABadTimeoutIsRefusedFirst()
    {
        var (admin, source) = await SetUpAsync();
        var queryId = await SaveQueryAsync(admin, source, CountTo);
        var first = await RunSavedAsync(admin, queryId, new { parameters = new { upto = 5 }, timeout_seconds = 5 });
        await RunsApi.FinishedAsync(admin, first.GetProperty("id").GetGuid());

        using var cached = await admin.Client.PostAsJsonAsync(
            $"/api/v1/queries/{queryId}/runs", new { parameters = new { upto = 5 }, timeout_seconds = 60, max_age_seconds = 600 }, Ct);
        using var refused = await admin.Client.PostAsJsonAsync(
            $"/api/v1/queries/{queryId}/runs", new { parameters = new { upto = 5 }, timeout_seconds = 100_000, max_age_seconds = 600 }, Ct);

        cached.StatusCode.ShouldBe(HttpStatusCode.OK, await cached.Content.ReadAsStringAsync(Ct));
        var answer = await cached.Content.ReadFromJsonAsync<JsonElement>(Ct);
        answer.GetProperty("from_cache").GetBoolean().ShouldBeTrue();
        answer.GetProperty("id").GetGuid().ShouldBe(first.GetProperty("id").GetGuid());
        (await refused.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("timeout_seconds", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task ExpiredResult_IsGone_410WithItsCode_ForThePageAndBothExports()
    {
        var (admin, source) = await SetUpAsync();
        var id = (await RunsApi.StartAsync(admin, source, "select 1 as one")).GetProperty("id").GetGuid();
        await RunsApi.FinishedAsync(admin, id);
        await api.ExecuteOwnerAsync($"UPDATE query_runs SET result_expires_at = now() - interval '1 minute' WHERE id = '{id}'");
        var retention = api.Factory.Services.GetRequiredService<Loupe.Infrastructure.Runs.ResultRetention>();
        await retention.SweepAsync(DateTimeOffset.UtcNow, Ct);

        foreach (var path in new[] { "results", "results.csv", "results.json" })
        {
            using var response = await admin.Client.GetAsync($"/api/v1/runs/{id}/{path}", Ct);
            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Gone);
            problem.GetProperty("code").GetString().ShouldBe("run.result_expired", path);
        }

        var run = await IdentityApi.GetOkAsync(admin.Client, $"/api/v1/runs/{id}");
        run.GetProperty("status").GetString().ShouldBe("succeeded");
        run.GetProperty("has_result").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task ResultsOfARunThatDidNotSucceed_AreAConflict_NotGone()
    {
        var (admin, source) = await SetUpAsync();
        var id = (await RunsApi.StartAsync(admin, source, "select * from no_such_table_here")).GetProperty("id").GetGuid();
        (await RunsApi.FinishedAsync(admin, id)).GetProperty("status").GetString().ShouldBe("failed");

        foreach (var path in new[] { "results", "results.csv", "results.json" })
        {
            using var response = await admin.Client.GetAsync($"/api/v1/runs/{id}/{path}", Ct);
            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Conflict);
            problem.GetProperty("detail").GetString()!.ShouldContain("failed", Case.Sensitive, path);
        }
    }

    [Fact]
    public async Task EveryRunAnswer_HasEveryFieldOfSection45_NullUntilKnown()
    {
        var (admin, source) = await SetUpAsync();
        var queued = await RunsApi.StartAsync(admin, source, "select * from no_such_table_here");
        var failed = await RunsApi.FinishedAsync(admin, queued.GetProperty("id").GetGuid());
        var succeeded = await RunsApi.FinishedAsync(admin, (await RunsApi.StartAsync(admin, source, "select 1 as one")).GetProperty("id").GetGuid());
        string[] fields = ["id", "status", "queued_at", "started_at", "finished_at", "duration_ms", "row_count", "truncated", "attempt", "timeout_seconds", "error"];

        foreach (var run in new[] { queued, failed, succeeded })
        {
            var names = run.EnumerateObject().Select(p => p.Name).ToList();
            fields.ShouldAllBe(field => names.Contains(field), run.ToString());
        }

        queued.GetProperty("status").GetString().ShouldBe("queued");
        foreach (var unknown in new[] { "started_at", "finished_at", "duration_ms", "row_count", "truncated", "error" })
        {
            queued.GetProperty(unknown).ValueKind.ShouldBe(JsonValueKind.Null, unknown);
        }

        queued.GetProperty("attempt").GetInt32().ShouldBe(0);
        failed.GetProperty("status").GetString().ShouldBe("failed");
        failed.GetProperty("error").GetProperty("code").GetString().ShouldBe("42P01");
        failed.GetProperty("error").GetProperty("message").GetString()!.ShouldContain("no_such_table_here");
        failed.GetProperty("attempt").GetInt32().ShouldBe(1);
        failed.GetProperty("finished_at").GetDateTimeOffset().ShouldBeGreaterThanOrEqualTo(failed.GetProperty("started_at").GetDateTimeOffset());
        succeeded.GetProperty("error").ValueKind.ShouldBe(JsonValueKind.Null);
        succeeded.GetProperty("row_count").GetInt64().ShouldBe(1);
        succeeded.GetProperty("truncated").GetBoolean().ShouldBeFalse();
        succeeded.GetProperty("duration_ms").GetInt64().ShouldBeGreaterThanOrEqualTo(0);
        succeeded.GetProperty("timeout_seconds").GetInt32().ShouldBe(300);
    }

    [Fact]
    public async Task GetRun_CarriesAnETag_AndIfNoneMatchAnswers304_UntilTheRunChanges()
    {
        var (admin, source) = await SetUpAsync();
        var id = (await RunsApi.StartAsync(admin, source, "select 1 as one")).GetProperty("id").GetGuid();
        var finished = await RunsApi.FinishedAsync(admin, id);
        finished.GetProperty("status").GetString().ShouldBe("succeeded");

        using var first = await admin.Client.GetAsync($"/api/v1/runs/{id}", Ct);
        var tag = first.Headers.ETag;
        tag.ShouldNotBeNull();
        tag.IsWeak.ShouldBeFalse();
        using var unchanged = await GetWithIfNoneMatchAsync(admin, id, tag.Tag);
        using var stale = await GetWithIfNoneMatchAsync(admin, id, "\"1\"");

        unchanged.StatusCode.ShouldBe(HttpStatusCode.NotModified);
        stale.StatusCode.ShouldBe(HttpStatusCode.OK);
        stale.Headers.ETag!.Tag.ShouldBe(tag.Tag);
    }

    [Fact]
    public async Task GetRun_ETagChanges_WhenTheRunDoes()
    {
        var (admin, source) = await SetUpAsync();
        var id = (await RunsApi.StartAsync(admin, source, RunsApi.Busy(2_000_000_000))).GetProperty("id").GetGuid();
        using var before = await admin.Client.GetAsync($"/api/v1/runs/{id}", Ct);
        var tag = before.Headers.ETag!.Tag;

        using var cancel = await admin.Client.PostAsync($"/api/v1/runs/{id}/cancel", null, Ct);
        cancel.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var after = await GetWithIfNoneMatchAsync(admin, id, tag);

        after.StatusCode.ShouldBe(HttpStatusCode.OK);
        after.Headers.ETag!.Tag.ShouldNotBe(tag);
        (await after.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("status").GetString().ShouldBe("cancelled");
    }

    [Fact]
    public async Task List_FiltersByStatusDataSourceQueryOwnerAndQueuedTime()
    {
        var (admin, source) = await SetUpAsync();
        var otherSource = await api.CreateSourceAsync(admin);
        var editor = await api.Identity.AddMemberAsync(admin, "editor");
        var queryId = await SaveQueryAsync(admin, source, CountTo);
        var adminRun = await FinishedIdAsync(admin, (await RunsApi.StartAsync(admin, source, "select 1 as one")).GetProperty("id").GetGuid());
        var failedRun = await FinishedIdAsync(admin, (await RunsApi.StartAsync(admin, otherSource, "select * from no_such_table_here")).GetProperty("id").GetGuid());
        var editorRun = await FinishedIdAsync(editor, (await RunsApi.StartAsync(editor, source, "select 2 as two")).GetProperty("id").GetGuid());
        var savedRun = await FinishedIdAsync(admin, (await RunSavedAsync(admin, queryId, new { parameters = new { upto = 4 } })).GetProperty("id").GetGuid());
        var all = await IdsAsync(admin, string.Empty);
        var queuedAt = (await IdentityApi.GetOkAsync(admin.Client, $"/api/v1/runs/{editorRun}")).GetProperty("queued_at").GetDateTimeOffset();

        all.ShouldBe([savedRun, editorRun, failedRun, adminRun]);
        (await IdsAsync(admin, "status=failed")).ShouldBe([failedRun]);
        (await IdsAsync(admin, $"datasource_id={otherSource}")).ShouldBe([failedRun]);
        (await IdsAsync(admin, $"saved_query_id={queryId}")).ShouldBe([savedRun]);
        (await IdsAsync(admin, $"requester_id={editor.UserId}")).ShouldBe([editorRun]);
        (await IdsAsync(admin, $"datasource_id={source}&status=succeeded&requester_id={admin.UserId}")).ShouldBe([savedRun, adminRun]);
        (await IdsAsync(admin, $"queued_after={Uri.EscapeDataString(queuedAt.ToString("O"))}")).ShouldBe([savedRun, editorRun]);
        (await IdsAsync(admin, $"queued_before={Uri.EscapeDataString(queuedAt.ToString("O"))}")).ShouldBe([editorRun, failedRun, adminRun]);
        (await IdsAsync(admin, "sort=queued_at")).ShouldBe([adminRun, failedRun, editorRun, savedRun]);
        (await IdsAsync(admin, $"datasource_id={Guid.CreateVersion7()}")).ShouldBeEmpty();
    }

    [Fact]
    public async Task List_PagesAsSection3Says()
    {
        var (admin, source) = await SetUpAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await RunsApi.StartAsync(admin, source, $"select {i} as n")).GetProperty("id").GetGuid());
        }

        ids.Reverse();
        var first = await IdentityApi.GetOkAsync(admin.Client, "/api/v1/runs?per_page=2");
        var last = await IdentityApi.GetOkAsync(admin.Client, "/api/v1/runs?per_page=2&page=3");
        var defaults = await IdentityApi.GetOkAsync(admin.Client, "/api/v1/runs");

        Page(first).ShouldBe(ids[..2]);
        Page(last).ShouldBe(ids[4..]);
        var pagination = first.GetProperty("pagination");
        pagination.GetProperty("page").GetInt32().ShouldBe(1);
        pagination.GetProperty("per_page").GetInt32().ShouldBe(2);
        pagination.GetProperty("total").GetInt32().ShouldBe(5);
        pagination.GetProperty("total_pages").GetInt32().ShouldBe(3);
        pagination.GetProperty("has_next").GetBoolean().ShouldBeTrue();
        pagination.GetProperty("has_prev").GetBoolean().ShouldBeFalse();
        last.GetProperty("pagination").GetProperty("has_next").GetBoolean().ShouldBeFalse();
        last.GetProperty("pagination").GetProperty("has_prev").GetBoolean().ShouldBeTrue();
        defaults.GetProperty("pagination").GetProperty("per_page").GetInt32().ShouldBe(20);
        Page(defaults).ShouldBe(ids);
    }

    [Fact]
    public async Task List_WithBadParameters_IsOne400NamingEachOfThem()
    {
        var (admin, _) = await SetUpAsync();

        using var response = await admin.Client.GetAsync(
            "/api/v1/runs?datasource_id=nope&saved_query_id=12&requester_id=me&status=done&per_page=101&sort=name&queued_after=2030-01-02T00:00:00Z&queued_before=2030-01-01T00:00:00Z", Ct);

        var errors = (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        errors.EnumerateObject().Select(e => e.Name).ShouldBe(
            ["datasource_id", "saved_query_id", "requester_id", "status", "per_page", "sort", "queued_after"], ignoreOrder: true);
        errors.GetProperty("sort")[0].GetString()!.ShouldContain("queued_at");
    }

    [Fact]
    public async Task List_TreatsBlankIdFiltersAsNotGiven()
    {
        var (admin, source) = await SetUpAsync();
        var id = (await RunsApi.StartAsync(admin, source, "select 1 as one")).GetProperty("id").GetGuid();

        (await IdsAsync(admin, "datasource_id=&saved_query_id=%20")).ShouldBe([id]);
    }

    private static List<Guid> Page(JsonElement answer) => [.. answer.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("id").GetGuid())];

    private static async Task<List<Guid>> IdsAsync(Member member, string query) =>
        Page(await IdentityApi.GetOkAsync(member.Client, $"/api/v1/runs?{query}"));

    private static async Task<Guid> FinishedIdAsync(Member member, Guid id)
    {
        await RunsApi.FinishedAsync(member, id);
        return id;
    }

    private static async Task<HttpResponseMessage> GetWithIfNoneMatchAsync(Member member, Guid id, string tag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/runs/{id}");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(tag));
        return await member.Client.SendAsync(request, Ct);
    }

    private static async Task<Guid> SaveQueryAsync(Member editor, Guid source, string sql, int? timeoutSeconds = null)
    {
        using var created = await editor.Client.PostAsJsonAsync(
            "/api/v1/queries",
            new
            {
                name = $"counting {Guid.NewGuid():N}",
                sql,
                datasource_id = source,
                parameters = new[] { new { name = "upto", type = "number" } },
                timeout_seconds = timeoutSeconds,
            },
            Ct);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        return (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
    }

    private static async Task<JsonElement> RunSavedAsync(Member member, Guid queryId, object body)
    {
        using var start = await member.Client.PostAsJsonAsync($"/api/v1/queries/{queryId}/runs", body, Ct);
        var text = await start.Content.ReadAsStringAsync(Ct);
        start.StatusCode.ShouldBe(HttpStatusCode.Accepted, text);
        return JsonDocument.Parse(text).RootElement;
    }

    private static async Task PatchSourceTimeoutAsync(Member admin, Guid source, int seconds)
    {
        using var patched = await admin.Client.PatchAsJsonAsync($"/api/v1/datasources/{source}", new { query_timeout_seconds = seconds }, Ct);
        patched.StatusCode.ShouldBe(HttpStatusCode.OK, await patched.Content.ReadAsStringAsync(Ct));
    }

    private async Task<(Member Admin, Guid Source)> SetUpAsync()
    {
        var admin = await api.Identity.RegisterAsync();
        var source = await api.CreateSourceAsync(admin);
        return (admin, source);
    }
}
