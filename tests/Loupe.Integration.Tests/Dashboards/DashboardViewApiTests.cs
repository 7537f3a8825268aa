using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Loupe.Domain.Dashboards;
using Loupe.Domain.Queries.Parameters;
using Loupe.Domain.Visualizations;
using Loupe.Infrastructure.Dashboards;
using Loupe.Integration.Tests.Runs;
using Loupe.Integration.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Loupe.Integration.Tests.Dashboards.DashboardSeed;

namespace Loupe.Integration.Tests.Dashboards;

/// <summary>
/// GET /dashboards/{id}: the dashboard with its tiles' visualizations, query summaries and latest
/// results, read with a fixed number of statements, cached per organization and values, revalidated
/// with If-None-Match, and dropped from the cache by any change of what it shows (through PostgreSQL,
/// so in every process); POST /dashboards/{id}/refresh queues its queries' runs at once.
/// </summary>
public sealed class DashboardViewApiTests(RunsApi api) : ResetBeforeEachTest(api), IClassFixture<RunsApi>, IDisposable
{
    private readonly ConcurrentQueue<Activity> _statements = new();
    private ActivityListener? _listener;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static TimeSpan Within => TimeSpan.FromSeconds(30);

    public void Dispose() => _listener?.Dispose();

    private async Task<(Member Admin, Member Editor, Member Viewer, Guid Source)> OrganizationAsync()
    {
        var admin = await api.Identity.RegisterAsync();
        var editor = await api.Identity.AddMemberAsync(admin, "editor");
        var viewer = await api.Identity.AddMemberAsync(admin, "viewer");
        return (admin, editor, viewer, await api.CreateSourceAsync(admin));
    }

    private DashboardViewCache Cache => api.Factory.Services.GetRequiredService<DashboardViewCache>();

    private static async Task ListeningAsync(DashboardViewCache cache) =>
        await Eventually.HoldsAsync(() => Task.FromResult(cache.Listening), Within, "the API process listens for dashboard changes");

    [Fact]
    public async Task Get_AnswersTheTilesWithVisualizationQuerySummaryAndLatestResult_NeverTheSql()
    {
        var (_, editor, viewer, source) = await OrganizationAsync();
        var query = await SaveQueryAsync(editor, source, rows: 5, name: "Doubles");
        var visualization = await VisualizationAsync(api.AppConnection, editor, query);
        var dashboard = await DashboardAsync(api.AppConnection, editor, [visualization], text: "**Totals** <script>alert(1)</script>");

        var (before, _) = await GetOkAsync(viewer.Client, dashboard);
        Tile(before, "t0").GetProperty("result").ValueKind.ShouldBe(JsonValueKind.Null);

        var refresh = await RefreshAsync(editor, dashboard);
        var run = refresh.GetProperty("queued").EnumerateArray().ShouldHaveSingleItem().GetProperty("run_id").GetGuid();

        using var response = await GetAsync(viewer.Client, dashboard);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        ShouldBePrivateAndRevalidated(response);
        response.Headers.ETag!.IsWeak.ShouldBeFalse();
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        text.ShouldNotContain("generate_series");
        text.ShouldNotContain("<script>");
        var body = JsonDocument.Parse(text).RootElement;
        body.GetProperty("id").GetGuid().ShouldBe(dashboard);
        body.GetProperty("status").GetString().ShouldBe("active");
        body.GetProperty("version").GetInt32().ShouldBe(1);
        body.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ShouldBe(["kpi"]);

        var tile = Tile(body, "t0");
        tile.GetProperty("kind").GetString().ShouldBe("visualization");
        tile.GetProperty("w").GetInt32().ShouldBe(4);
        tile.GetProperty("visualization").GetProperty("id").GetGuid().ShouldBe(visualization);
        tile.GetProperty("visualization").GetProperty("type").GetString().ShouldBe("counter");
        tile.GetProperty("visualization").GetProperty("options").GetProperty("value_column").GetString().ShouldBe("double");
        tile.GetProperty("visualization").GetProperty("warnings").GetArrayLength().ShouldBe(0);
        tile.GetProperty("query").GetProperty("id").GetGuid().ShouldBe(query);
        tile.GetProperty("query").GetProperty("name").GetString().ShouldBe("Doubles");
        tile.GetProperty("query").TryGetProperty("sql", out _).ShouldBeFalse();
        var result = tile.GetProperty("result");
        result.GetProperty("run_id").GetGuid().ShouldBe(run);
        result.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ShouldBe(["n", "double"]);
        result.GetProperty("total_rows").GetInt64().ShouldBe(5);
        result.GetProperty("data").EnumerateArray().Select(r => r[1].GetInt64()).ShouldBe([2L, 4, 6, 8, 10]);
        tile.GetProperty("problems").GetArrayLength().ShouldBe(0);

        var textTile = Tile(body, "text");
        textTile.GetProperty("kind").GetString().ShouldBe("text");
        textTile.GetProperty("text").GetString().ShouldBe("**Totals** <script>alert(1)</script>");
        textTile.GetProperty("rendered_html").GetString()!.ShouldContain("<strong>Totals</strong>");
        textTile.GetProperty("rendered_html").GetString()!.ShouldNotContain("<script");
    }

    [Fact]
    public async Task Get_ReadsTheSameFixedNumberOfStatements_ForOneTileAndForTwenty()
    {
        var (_, editor, _, source) = await OrganizationAsync();
        var visualizations = new List<Guid>();
        for (var i = 0; i < 20; i++)
        {
            visualizations.Add(await VisualizationAsync(api.AppConnection, editor, await SaveQueryAsync(editor, source, rows: i + 1)));
        }

        var one = await DashboardAsync(api.AppConnection, editor, [visualizations[0]], text: "one");
        var twenty = await DashboardAsync(api.AppConnection, editor, visualizations, text: "twenty");
        await RefreshAsync(editor, twenty);
        StartCountingStatements();

        var ofOne = await StatementsOfReadAsync(editor.Client, one);
        var ofTwenty = await StatementsOfReadAsync(editor.Client, twenty);

        ofTwenty.ShouldBe(ofOne, "a dashboard is read with a fixed number of statements whatever its tiles");
        ofTwenty.ShouldBeLessThanOrEqualTo(5, "the dashboard, its visualizations with their queries, their latest results, their first rows (and the caller's session)");
        var (body, _) = await GetOkAsync(editor.Client, twenty);
        Enumerable.Range(0, 20).Select(i => Tile(body, $"t{i}").GetProperty("result").GetProperty("total_rows").GetInt64()).ShouldBe(Enumerable.Range(1, 20).Select(i => (long)i));
    }

    [Fact]
    public async Task Get_IsServedFromTheCache_AndIfNoneMatchAnswers304()
    {
        var (_, editor, viewer, source) = await OrganizationAsync();
        var dashboard = await DashboardAsync(api.AppConnection, editor, [await VisualizationAsync(api.AppConnection, editor, await SaveQueryAsync(editor, source))]);
        await RefreshAsync(editor, dashboard);
        await ListeningAsync(Cache);
        StartCountingStatements();

        var (first, tag) = await GetOkAsync(viewer.Client, dashboard);
        var uncached = await StatementsOfReadAsync(viewer.Client, dashboard, dropCacheFirst: true);
        var cached = await StatementsOfReadAsync(viewer.Client, dashboard);

        uncached.ShouldBeGreaterThan(0);
        cached.ShouldBeLessThan(uncached, "a cached answer reads nothing of the dashboard");
        var (again, sameTag) = await GetOkAsync(viewer.Client, dashboard);
        sameTag.ShouldBe(tag);
        again.GetRawText().ShouldBe(first.GetRawText());

        using var notModified = await GetAsync(viewer.Client, dashboard, ifNoneMatch: tag);
        notModified.StatusCode.ShouldBe(HttpStatusCode.NotModified);
        notModified.Headers.ETag!.Tag.ShouldBe(tag);
        ShouldBePrivateAndRevalidated(notModified);
        (await notModified.Content.ReadAsByteArrayAsync(Ct)).ShouldBeEmpty();
        using (var weak = await GetAsync(viewer.Client, dashboard, ifNoneMatch: $"\"other\", W/{tag}"))
        {
            weak.StatusCode.ShouldBe(HttpStatusCode.NotModified);
        }

        using var stale = await GetAsync(viewer.Client, dashboard, ifNoneMatch: "\"1-stale\"");
        stale.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ANewerResultOfAQuery_ReplacesTheCachedAnswer_WithANewTag()
    {
        var (_, editor, viewer, source) = await OrganizationAsync();
        var query = await SaveQueryAsync(editor, source);
        var dashboard = await DashboardAsync(api.AppConnection, editor, [await VisualizationAsync(api.AppConnection, editor, query)]);
        await RefreshAsync(editor, dashboard);
        await ListeningAsync(Cache);
        var (first, tag) = await GetOkAsync(viewer.Client, dashboard);

        var newer = await RunAgainAsync(editor, query);

        var (latest, newTag) = await Eventually.HoldsAsync(
            () => GetOkAsync(viewer.Client, dashboard), got => ResultRun(got.Body, "t0") == newer, Within, "the dashboard shows the newer result");
        newTag.ShouldNotBe(tag);
        ResultRun(first, "t0").ShouldNotBe(newer);
        using var revalidated = await GetAsync(viewer.Client, dashboard, ifNoneMatch: tag);
        revalidated.StatusCode.ShouldBe(HttpStatusCode.OK);
        latest.GetProperty("id").GetGuid().ShouldBe(dashboard);
    }

    [Fact]
    public async Task AChangeMadeElsewhere_DropsTheCachedAnswer_ThroughPostgreSql()
    {
        var (_, editor, viewer, source) = await OrganizationAsync();
        var query = await SaveQueryAsync(editor, source);
        var visualization = await VisualizationAsync(api.AppConnection, editor, query, name: "Before");
        var dashboard = await DashboardAsync(api.AppConnection, editor, [visualization]);
        await ListeningAsync(Cache);
        await GetOkAsync(viewer.Client, dashboard);
        Cache.Count.ShouldBeGreaterThan(0);

        // Through a connection of the test's own: only PostgreSQL can tell the API process.
        await using (var context = TenantData.Context(api.AppConnection, editor.OrganizationId))
        {
            var stored = await context.Set<Visualization>().SingleAsync(v => v.Id == visualization, Ct);
            stored.Rename("After", DateTimeOffset.UtcNow);
            await context.SaveChangesAsync(Ct);
        }

        await Eventually.HoldsAsync(
            () => GetOkAsync(viewer.Client, dashboard),
            got => Tile(got.Body, "t0").GetProperty("visualization").GetProperty("name").GetString() == "After",
            Within,
            "the dashboard shows the renamed visualization");

        await using (var context = TenantData.Context(api.AppConnection, editor.OrganizationId))
        {
            var stored = await context.Set<Dashboard>().SingleAsync(d => d.Id == dashboard, Ct);
            stored.Describe("Renamed board", null, null, editor.UserId, DateTimeOffset.UtcNow);
            await context.SaveChangesAsync(Ct);
        }

        await Eventually.HoldsAsync(
            () => GetOkAsync(viewer.Client, dashboard), got => got.Body.GetProperty("name").GetString() == "Renamed board", Within, "the dashboard shows its new name");
    }

    [Fact]
    public async Task TwoApiProcesses_EachDropTheirCachedAnswer_WhenTheOtherChangesWhatItShows()
    {
        var (_, editor, viewer, source) = await OrganizationAsync();
        var query = await SaveQueryAsync(editor, source);
        var dashboard = await DashboardAsync(api.AppConnection, editor, [await VisualizationAsync(api.AppConnection, editor, query)]);
        await RefreshAsync(editor, dashboard);

        await using var second = new LoupeApiFactory(api.AppConnection, api.OwnerConnection, settings: new Dictionary<string, string?> { ["Jobs:RunInApi"] = "false" });
        using var secondClient = second.CreateClient();
        secondClient.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", viewer.AccessToken);
        var secondCache = second.Services.GetRequiredService<DashboardViewCache>();
        await ListeningAsync(secondCache);
        await ListeningAsync(Cache);

        var (onSecond, _) = await GetOkAsync(secondClient, dashboard);
        var (onFirst, _) = await GetOkAsync(viewer.Client, dashboard);
        secondCache.Count.ShouldBe(1);
        ResultRun(onSecond, "t0").ShouldBe(ResultRun(onFirst, "t0"));

        // The first process runs the query: the second hears of the newer result and drops its answer.
        var newer = await RunAgainAsync(editor, query);

        await Eventually.HoldsAsync(() => Task.FromResult(secondCache.Count == 0), Within, "the second process drops its cached answer");
        await Eventually.HoldsAsync(
            () => GetOkAsync(secondClient, dashboard), got => ResultRun(got.Body, "t0") == newer, Within, "the second process shows the newer result");
    }

    [Fact]
    public async Task AnotherOrganization_GetsNotFound_EvenWhenTheAnswerIsCached()
    {
        var (_, editor, _, source) = await OrganizationAsync();
        var dashboard = await DashboardAsync(api.AppConnection, editor, [await VisualizationAsync(api.AppConnection, editor, await SaveQueryAsync(editor, source))]);
        await ListeningAsync(Cache);
        await GetOkAsync(editor.Client, dashboard);
        var stranger = await api.Identity.RegisterAsync();

        using var response = await GetAsync(stranger.Client, dashboard);
        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using var refresh = await stranger.Client.PostAsJsonAsync($"/api/v1/dashboards/{dashboard}/refresh", new { }, Ct);
        await refresh.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ParameterValues_AreCheckedAgainstTheDashboard_AndEachSetOfValuesHasItsOwnResult()
    {
        var (_, editor, viewer, source) = await OrganizationAsync();
        var query = await SaveQueryAsync(editor, source, parameterized: true);
        var visualization = await VisualizationAsync(api.AppConnection, editor, query);
        var dashboard = await DashboardAsync(
            api.AppConnection,
            editor,
            [visualization],
            parameters: [ParameterDefinition.Create("rows", ParameterType.Number, defaultValue: ParameterValue.OfNumber("2"))],
            mappings: tiles => [ParameterMapping.FromDashboard(tiles[0].Id, "n", "rows")]);

        (await ProblemFieldAsync(viewer, dashboard, "?p_rows=many")).ShouldBe("p_rows");
        (await ProblemFieldAsync(viewer, dashboard, "?p_nothing=1")).ShouldBe("p_nothing");
        using (var unknown = await GetAsync(viewer.Client, dashboard, "?rows=1"))
        {
            await unknown.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        }

        await RefreshAsync(editor, dashboard, new { parameters = new { rows = 4 } });
        await RefreshAsync(editor, dashboard);

        var (four, _) = await GetOkAsync(viewer.Client, dashboard, "?p_rows=4");
        four.GetProperty("parameter_values").GetProperty("rows").GetInt32().ShouldBe(4);
        Tile(four, "t0").GetProperty("query").GetProperty("parameter_values").GetProperty("n").GetInt32().ShouldBe(4);
        Tile(four, "t0").GetProperty("result").GetProperty("total_rows").GetInt64().ShouldBe(4);
        var (byDefault, _) = await GetOkAsync(viewer.Client, dashboard);
        byDefault.GetProperty("parameter_values").GetProperty("rows").GetInt32().ShouldBe(2);
        Tile(byDefault, "t0").GetProperty("result").GetProperty("total_rows").GetInt64().ShouldBe(2);
        var (notRun, _) = await GetOkAsync(viewer.Client, dashboard, "?p_rows=7");
        Tile(notRun, "t0").GetProperty("result").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Refresh_QueuesEachDistinctQueryOnce_InOneGo_AndSkipsFreshResultsWhenAsked()
    {
        var (_, editor, viewer, source) = await OrganizationAsync();
        var first = await SaveQueryAsync(editor, source, rows: 2);
        var second = await SaveQueryAsync(editor, source, rows: 3);
        var shownTwice = await VisualizationAsync(api.AppConnection, editor, first);
        var dashboard = await DashboardAsync(
            api.AppConnection, editor, [shownTwice, shownTwice, await VisualizationAsync(api.AppConnection, editor, first, column: "n"), await VisualizationAsync(api.AppConnection, editor, second)]);

        using (var refused = await viewer.Client.PostAsJsonAsync($"/api/v1/dashboards/{dashboard}/refresh", new { }, Ct))
        {
            await refused.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        }

        var refresh = await RefreshAsync(editor, dashboard);
        var queued = refresh.GetProperty("queued").EnumerateArray().ToList();
        queued.Select(q => q.GetProperty("query_id").GetGuid()).Order().ShouldBe(new[] { first, second }.Order());
        queued.Single(q => q.GetProperty("query_id").GetGuid() == first).GetProperty("tile_ids").EnumerateArray().Select(t => t.GetString()).ShouldBe(["t0", "t1", "t2"]);
        refresh.GetProperty("skipped").GetArrayLength().ShouldBe(0);

        var fresh = await RefreshAsync(editor, dashboard, new { max_age_seconds = 3600 });
        fresh.GetProperty("queued").GetArrayLength().ShouldBe(0);
        var skipped = fresh.GetProperty("skipped").EnumerateArray().ToList();
        skipped.Select(s => s.GetProperty("reason").GetString()).ShouldBe(["fresh", "fresh"]);
        skipped.Select(s => s.GetProperty("run_id").GetGuid()).Order().ShouldBe(queued.Select(q => q.GetProperty("run_id").GetGuid()).Order());

        using (var invalid = await editor.Client.PostAsJsonAsync($"/api/v1/dashboards/{dashboard}/refresh", new { max_age_seconds = -1 }, Ct))
        {
            await invalid.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        }
    }

    [Fact]
    public async Task AVisualizationNamingAColumnTheLatestResultLacks_IsServedWithAWarning()
    {
        var (_, editor, viewer, source) = await OrganizationAsync();
        var query = await SaveQueryAsync(editor, source);
        var dashboard = await DashboardAsync(api.AppConnection, editor, [await VisualizationAsync(api.AppConnection, editor, query, column: "double")]);
        await using (var context = TenantData.Context(api.AppConnection, editor.OrganizationId))
        {
            var stored = await context.Set<Domain.Queries.SavedQuery>().SingleAsync(q => q.Id == query, Ct);
            stored.Revise("select g as n, g * 3 as triple from generate_series(1, 3) g", [], editor.UserId, DateTimeOffset.UtcNow);
            await context.SaveChangesAsync(Ct);
        }

        await RefreshAsync(editor, dashboard);

        var (body, _) = await GetOkAsync(viewer.Client, dashboard);
        var tile = Tile(body, "t0");
        tile.GetProperty("result").GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ShouldBe(["n", "triple"]);
        var warning = tile.GetProperty("visualization").GetProperty("warnings").EnumerateArray().ShouldHaveSingleItem();
        warning.GetProperty("field").GetString().ShouldBe("options.value_column");
        warning.GetProperty("column").GetString().ShouldBe("double");
    }

    private static void ShouldBePrivateAndRevalidated(HttpResponseMessage response)
    {
        var cacheControl = response.Headers.CacheControl.ShouldNotBeNull();
        cacheControl.Private.ShouldBeTrue();
        cacheControl.MustRevalidate.ShouldBeTrue();
        cacheControl.Public.ShouldBeFalse();
        cacheControl.MaxAge.ShouldBeNull();
    }

    private static async Task<string?> ProblemFieldAsync(Member member, Guid dashboard, string query)
    {
        using var response = await GetAsync(member.Client, dashboard, query);
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        return problem.GetProperty("errors").EnumerateObject().ShouldHaveSingleItem().Name;
    }

    private void StartCountingStatements()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _statements.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The round trips to Loupe's database one GET of the dashboard makes; with <paramref name="dropCacheFirst"/>, after the cache was emptied.</summary>
    private async Task<int> StatementsOfReadAsync(HttpClient client, Guid dashboard, bool dropCacheFirst = false)
    {
        var trace = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/dashboards/{dashboard}");
        if (dropCacheFirst)
        {
            Cache.ChangedAll();
        }

        using var response = await client.SendInTraceAsync(request, trace);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return _statements.Count(s => s.TraceId == trace);
    }
}
