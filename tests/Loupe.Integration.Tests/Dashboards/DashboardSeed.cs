using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Loupe.Domain.Dashboards;
using Loupe.Domain.Queries;
using Loupe.Domain.Queries.Parameters;
using Loupe.Domain.Visualizations;
using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Runs;
using Loupe.Integration.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Loupe.Integration.Tests.Dashboards;

/// <summary>
/// Saved queries through the API, visualizations and dashboards straight through the domain and the
/// store (another connection than the API's: what they change reaches the API only as PostgreSQL
/// announces it), refreshes and reads of dashboards through the API.
/// </summary>
internal static class DashboardSeed
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A query of <paramref name="rows"/> rows (n, double), or with a number parameter <c>n</c> (default 3) when <paramref name="parameterized"/>.</summary>
    public static async Task<Guid> SaveQueryAsync(Member editor, Guid source, int rows = 5, bool parameterized = false, string? name = null)
    {
        object body = parameterized
            ? new
            {
                name = name ?? $"series {Guid.NewGuid():N}",
                sql = "select g as n, g * 2 as double from generate_series(1, {{ n }}) g",
                datasource_id = source,
                parameters = new object[] { new { name = "n", type = "number", @default = 3 } },
            }
            : new { name = name ?? $"series {Guid.NewGuid():N}", sql = $"select g as n, g * 2 as double from generate_series(1, {rows}) g", datasource_id = source };
        using var created = await editor.Client.PostAsJsonAsync("/api/v1/queries", body, Ct);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        return (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
    }

    public static async Task<Guid> VisualizationAsync(string appConnection, Member owner, Guid queryId, string column = "double", string name = "Doubles")
    {
        await using var context = TenantData.Context(appConnection, owner.OrganizationId);
        var query = await context.Set<SavedQuery>().SingleAsync(q => q.Id == queryId, Ct);
        var visualization = Visualization.Create(Guid.CreateVersion7(), query, owner.UserId, name, null, new CounterOptions(column), null, DateTimeOffset.UtcNow);
        context.Add(visualization);
        await context.SaveChangesAsync(Ct);
        return visualization.Id;
    }

    /// <summary>A dashboard of one tile per visualization (4 × 2 each, left to right), a text tile last, and the parameters and mappings given.</summary>
    public static async Task<Guid> DashboardAsync(
        string appConnection,
        Member owner,
        IReadOnlyList<Guid> visualizations,
        string? text = null,
        IReadOnlyList<ParameterDefinition>? parameters = null,
        Func<IReadOnlyList<DashboardTile>, IReadOnlyList<ParameterMapping>>? mappings = null)
    {
        await using var context = TenantData.Context(appConnection, owner.OrganizationId);
        Guid[] ids = [.. visualizations.Distinct()];
        var found = await context.Set<Visualization>().Where(v => ids.Contains(v.Id)).ToListAsync(Ct);
        Guid[] queryIds = [.. found.Select(v => v.QueryId).Distinct()];
        var queries = await context.Set<SavedQuery>().Where(q => queryIds.Contains(q.Id)).ToDictionaryAsync(q => q.Id, Ct);
        var queryParameters = found.ToDictionary(v => v.Id, v => queries[v.QueryId].Parameters);
        var tiles = visualizations.Select((v, i) => DashboardTile.OfVisualization($"t{i}", v, i % 6 * 4, i / 6 * 2, 4, 2)).ToList();
        if (text is not null)
        {
            tiles.Add(DashboardTile.OfText("text", text, 0, (visualizations.Count / 6 + 1) * 2, 24, 2));
        }

        var dashboard = Dashboard.Create(
            Guid.CreateVersion7(),
            owner.OrganizationId,
            owner.UserId,
            $"Board {Guid.NewGuid():N}",
            "All the numbers",
            ["kpi"],
            [.. tiles],
            [.. parameters ?? []],
            [.. mappings?.Invoke(tiles) ?? []],
            queryParameters,
            DateTimeOffset.UtcNow);
        context.Add(dashboard);
        await context.SaveChangesAsync(Ct);
        return dashboard.Id;
    }

    /// <summary>POST /dashboards/{id}/refresh; 202 expected. Waits for every run it queued.</summary>
    public static async Task<JsonElement> RefreshAsync(Member member, Guid dashboard, object? body = null)
    {
        using var response = await member.Client.PostAsJsonAsync($"/api/v1/dashboards/{dashboard}/refresh", body ?? new { }, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, text);
        var refresh = JsonDocument.Parse(text).RootElement;
        foreach (var queued in refresh.GetProperty("queued").EnumerateArray())
        {
            (await RunsApi.FinishedAsync(member, queued.GetProperty("run_id").GetGuid())).GetProperty("status").GetString().ShouldBe("succeeded");
        }

        return refresh;
    }

    public static async Task<HttpResponseMessage> GetAsync(HttpClient client, Guid dashboard, string query = "", string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/dashboards/{dashboard}{query}");
        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }

        return await client.SendAsync(request, Ct);
    }

    public static async Task<(JsonElement Body, string ETag)> GetOkAsync(HttpClient client, Guid dashboard, string query = "")
    {
        using var response = await GetAsync(client, dashboard, query);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return (JsonDocument.Parse(text).RootElement, response.Headers.ETag!.Tag);
    }

    /// <summary>The run id of the result a tile shows, or null.</summary>
    public static Guid? ResultRun(JsonElement dashboard, string tile) =>
        dashboard.GetProperty("tiles").EnumerateArray().Single(t => t.GetProperty("id").GetString() == tile).GetProperty("result") is { ValueKind: JsonValueKind.Object } result
            ? result.GetProperty("run_id").GetGuid()
            : null;

    public static JsonElement Tile(JsonElement dashboard, string tile) =>
        dashboard.GetProperty("tiles").EnumerateArray().Single(t => t.GetProperty("id").GetString() == tile);

    /// <summary>Runs the saved query once more through the API and waits for it to succeed.</summary>
    public static async Task<Guid> RunAgainAsync(Member member, Guid queryId)
    {
        using var start = await member.Client.PostAsJsonAsync($"/api/v1/queries/{queryId}/runs", new { }, Ct);
        start.StatusCode.ShouldBe(HttpStatusCode.Accepted, await start.Content.ReadAsStringAsync(Ct));
        var id = (await start.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        (await RunsApi.FinishedAsync(member, id)).GetProperty("status").GetString().ShouldBe("succeeded");
        return id;
    }

    public static Task<JsonElement> GetOkAsync(Member member, string url) => IdentityApi.GetOkAsync(member.Client, url);
}
