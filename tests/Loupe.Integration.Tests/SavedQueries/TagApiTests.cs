using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.SavedQueries;

/// <summary>GET /api/v1/tags: an organization's tags of saved queries with their counts, and nobody else's.</summary>
public sealed class TagApiTests(IdentityApi api) : ResetBeforeEachTest(api), IClassFixture<IdentityApi>
{
    private readonly IdentityDriver _identity = api.Identity;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Tags_CountActiveQueriesOfTheCallersOrganization_MostUsedFirst()
    {
        var admin = await _identity.RegisterAsync();
        var viewer = await _identity.AddMemberAsync(admin, "viewer");
        var dataSource = await DataSourceAsync(admin);
        await CreateQueryAsync(admin, dataSource, "Finance", "kpi");
        await CreateQueryAsync(admin, dataSource, "finance");
        await CreateQueryAsync(admin, dataSource, "finance", "ops");
        var archived = await CreateQueryAsync(admin, dataSource, "finance", "old");
        using (var archive = await admin.Client.DeleteAsync($"/api/v1/queries/{archived}", Ct))
        {
            archive.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        var other = await _identity.RegisterAsync();
        await CreateQueryAsync(other, await DataSourceAsync(other), "secret-project", "finance");

        var body = await IdentityApi.GetOkAsync(viewer.Client, "/api/v1/tags?kind=query");

        var tags = body.GetProperty("data").EnumerateArray().Select(t => (t.GetProperty("name").GetString(), t.GetProperty("count").GetInt32())).ToList();
        tags.ShouldBe([("finance", 3), ("kpi", 1), ("ops", 1)]);
        body.GetProperty("pagination").GetProperty("total").GetInt32().ShouldBe(3);

        var paged = await IdentityApi.GetOkAsync(viewer.Client, "/api/v1/tags?per_page=1&page=2");
        paged.GetProperty("data").EnumerateArray().Single().GetProperty("name").GetString().ShouldBe("kpi");
        paged.GetProperty("pagination").GetProperty("has_next").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Tags_RefuseAnUnknownKindOrParameter()
    {
        var admin = await _identity.RegisterAsync();

        using var kind = await admin.Client.GetAsync("/api/v1/tags?kind=dashboard", Ct);
        using var unknown = await admin.Client.GetAsync("/api/v1/tags?owner_id=x", Ct);

        var problem = await kind.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").TryGetProperty("kind", out _).ShouldBeTrue(problem.GetRawText());
        await unknown.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    private static async Task<Guid> DataSourceAsync(Member admin) =>
        (await IdentityApi.CreateDataSourceAsync(admin)).GetProperty("id").GetGuid();

    private static async Task<Guid> CreateQueryAsync(Member member, Guid dataSourceId, params string[] tags)
    {
        using var response = await member.Client.PostAsJsonAsync(
            "/api/v1/queries", new { name = $"q {Guid.NewGuid():N}", sql = "SELECT 1", datasource_id = dataSourceId, tags }, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
    }
}
