using System.Net;
using System.Text.Json;
using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Support;
using static Loupe.Integration.Tests.Dashboards.DashboardsApi;

namespace Loupe.Integration.Tests.Dashboards;

/// <summary>
/// Archiving a query or visualization that active dashboards show is a 409 naming them, and changes
/// nothing, unless forced; archived dashboards do not count.
/// </summary>
public sealed class DashboardUseTests(IdentityApi api) : ResetBeforeEachTest(api), IClassFixture<IdentityApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Org(Member Editor, Guid QueryId, Guid VisualizationId, Guid UnusedVisualizationId);

    private async Task<Org> OrganizationAsync()
    {
        var admin = await api.Identity.RegisterAsync();
        var editor = await api.Identity.AddMemberAsync(admin, "editor");
        var dataSource = await IdentityApi.CreateDataSourceAsync(admin);
        var queryId = await CreateQueryAsync(editor, dataSource.GetProperty("id").GetGuid());
        var shown = await CreateVisualizationAsync(api.AppConnection, editor, queryId);
        var unused = await CreateVisualizationAsync(api.AppConnection, editor, queryId);
        return new Org(editor, queryId, shown, unused);
    }

    private static async Task<(Guid Id, string ETag)> DashboardShowingAsync(Member editor, string name, Guid visualizationId)
    {
        var (body, etag) = await CreateAsync(editor, new { name, tiles = new[] { VisualizationTile("chart", visualizationId, 0, 0, 12, 4) } });
        return (body.GetProperty("id").GetGuid(), etag);
    }

    private static async Task<string?> ArchivedAtAsync(Member member, string url)
    {
        using var response = await member.Client.GetAsync(url, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        var archivedAt = JsonDocument.Parse(text).RootElement.GetProperty("archived_at");
        return archivedAt.ValueKind == JsonValueKind.Null ? null : archivedAt.GetString();
    }

    private static void ShouldName(JsonElement problem, params (Guid Id, string Name)[] dashboards) =>
        problem.GetProperty("dashboards").EnumerateArray()
            .Select(d => (d.GetProperty("id").GetGuid(), d.GetProperty("name").GetString()!))
            .ShouldBe(dashboards);

    [Fact]
    public async Task ArchivingAShownVisualization_IsA409NamingTheDashboards_AndChangesNothing()
    {
        var org = await OrganizationAsync();
        var (second, _) = await DashboardShowingAsync(org.Editor, "Sales", org.VisualizationId);
        var (first, _) = await DashboardShowingAsync(org.Editor, "Operations", org.VisualizationId);

        var problem = await ProblemAsync(
            await SendAsync(org.Editor, HttpMethod.Delete, $"/api/v1/visualizations/{org.VisualizationId}"), HttpStatusCode.Conflict);

        problem.GetProperty("code").GetString().ShouldBe("visualization.in_use");
        problem.GetProperty("detail").GetString()!.ShouldStartWith("2 dashboards show this visualization");
        ShouldName(problem, (first, "Operations"), (second, "Sales"));
        (await ArchivedAtAsync(org.Editor, $"/api/v1/visualizations/{org.VisualizationId}")).ShouldBeNull();
    }

    [Fact]
    public async Task Force_ArchivesAShownVisualization_AndAnUnshownOneNeedsNoForce()
    {
        var org = await OrganizationAsync();
        await DashboardShowingAsync(org.Editor, "Sales", org.VisualizationId);

        using (var forced = await SendAsync(org.Editor, HttpMethod.Delete, $"/api/v1/visualizations/{org.VisualizationId}?force=true"))
        {
            forced.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        using (var unused = await SendAsync(org.Editor, HttpMethod.Delete, $"/api/v1/visualizations/{org.UnusedVisualizationId}"))
        {
            unused.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        (await ArchivedAtAsync(org.Editor, $"/api/v1/visualizations/{org.VisualizationId}")).ShouldNotBeNull();
        (await ArchivedAtAsync(org.Editor, $"/api/v1/visualizations/{org.UnusedVisualizationId}")).ShouldNotBeNull();
    }

    [Fact]
    public async Task ArchivingAQueryWhoseVisualizationIsShown_IsA409_UnlessForced()
    {
        var org = await OrganizationAsync();
        var (dashboard, _) = await DashboardShowingAsync(org.Editor, "Sales", org.VisualizationId);

        var problem = await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Delete, $"/api/v1/queries/{org.QueryId}"), HttpStatusCode.Conflict);

        problem.GetProperty("code").GetString().ShouldBe("query.in_use");
        ShouldName(problem, (dashboard, "Sales"));
        (await ArchivedAtAsync(org.Editor, $"/api/v1/queries/{org.QueryId}")).ShouldBeNull();

        using (var forced = await SendAsync(org.Editor, HttpMethod.Delete, $"/api/v1/queries/{org.QueryId}?force=true"))
        {
            forced.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        (await ArchivedAtAsync(org.Editor, $"/api/v1/queries/{org.QueryId}")).ShouldNotBeNull();
    }

    [Fact]
    public async Task AnArchivedDashboard_DoesNotHoldItsItems()
    {
        var org = await OrganizationAsync();
        var (dashboard, etag) = await DashboardShowingAsync(org.Editor, "Sales", org.VisualizationId);
        using (var archived = await SendAsync(org.Editor, HttpMethod.Delete, $"{Url}/{dashboard}", ifMatch: etag))
        {
            archived.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        using var response = await SendAsync(org.Editor, HttpMethod.Delete, $"/api/v1/queries/{org.QueryId}");

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }
}
