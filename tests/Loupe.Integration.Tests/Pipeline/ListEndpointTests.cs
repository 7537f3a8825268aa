using System.Net;
using System.Text.Json;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Pipeline;

/// <summary>The shared list conventions (docs/api-conventions.md) over HTTP: snake_case pagination, whitelisted sorting, one 400 for every bad parameter.</summary>
public sealed class ListEndpointTests(ListEndpointTests.SeededApi api) : IClassFixture<ListEndpointTests.SeededApi>
{
    private const int Rows = 23;
    private readonly HttpClient _client = api.Client;
    private readonly string _members = api.Members;

    /// <summary>One database seeded once for the class, and the API over it.</summary>
    public sealed class SeededApi : IAsyncLifetime
    {
        private readonly DatabaseFixture _database = new();
        private LoupeApiFactory _factory = null!;

        public HttpClient Client { get; private set; } = null!;

        public string Members { get; private set; } = string.Empty;

        public async ValueTask InitializeAsync()
        {
            await _database.InitializeAsync();
            var organization = await TenantData.CreateOrganizationAsync(_database.AppConnection);
            await TenantData.AddUsersAsync(_database.AppConnection, organization.Id, Rows, i => $"Team {i % 5}", i => TenantData.Epoch.AddHours(i % 4));
            var other = await TenantData.CreateOrganizationAsync(_database.AppConnection, "Other");
            await TenantData.AddUsersAsync(_database.AppConnection, other.Id, 3, i => $"Team {i}");
            Members = $"/api/v1/_probe/organizations/{organization.Id}/members";

            _factory = LoupeApiFactory.For(_database, withProbes: true);
            Client = _factory.CreateClient();
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await _factory.DisposeAsync();
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task WalkingEveryPage_ReturnsEachRowOnce_WithConsistentPagination()
    {
        var seen = new List<string>();
        for (var page = 1; ; page++)
        {
            var body = await GetOkAsync($"{_members}?page={page}&per_page=5&sort=-created_at,name");
            var pagination = body.GetProperty("pagination");
            pagination.GetProperty("total").GetInt32().ShouldBe(Rows);
            pagination.GetProperty("total_pages").GetInt32().ShouldBe(5);
            pagination.GetProperty("per_page").GetInt32().ShouldBe(5);
            pagination.GetProperty("has_prev").GetBoolean().ShouldBe(page > 1);
            seen.AddRange(body.GetProperty("data").EnumerateArray().Select(row => row.GetProperty("id").GetString()!));
            if (!pagination.GetProperty("has_next").GetBoolean())
            {
                break;
            }
        }

        seen.Count.ShouldBe(Rows);
        seen.Distinct().Count().ShouldBe(Rows);
    }

    [Fact]
    public async Task Defaults_AreTheFirstPageOfTwenty()
    {
        var body = await GetOkAsync(_members);

        body.GetProperty("pagination").GetProperty("page").GetInt32().ShouldBe(1);
        body.GetProperty("pagination").GetProperty("per_page").GetInt32().ShouldBe(20);
        body.GetProperty("data").GetArrayLength().ShouldBe(20);
        body.GetProperty("data")[0].TryGetProperty("created_at", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task TextFilter_NarrowsTheRows()
    {
        var body = await GetOkAsync($"{_members}?q=team%203&per_page=100");

        body.GetProperty("data").EnumerateArray().ShouldAllBe(row => row.GetProperty("name").GetString() == "Team 3");
        body.GetProperty("pagination").GetProperty("total").GetInt32().ShouldBe(Enumerable.Range(0, Rows).Count(i => i % 5 == 3));
    }

    [Fact]
    public async Task BadParameters_AreOneValidationProblemNamingEachOfThem()
    {
        using var response = await _client.GetAsync(
            $"{_members}?page=0&per_page=1000&sort=owner&created_after=2026-03-02T00:00:00Z&created_before=2026-03-01T00:00:00Z",
            TestContext.Current.CancellationToken);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        errors.TryGetProperty("page", out _).ShouldBeTrue();
        errors.TryGetProperty("per_page", out _).ShouldBeTrue();
        errors.GetProperty("sort")[0].GetString()!.ShouldContain("created_at");
        errors.TryGetProperty("created_after", out _).ShouldBeTrue();
    }

    private async Task<JsonElement> GetOkAsync(string url)
    {
        using var response = await _client.GetAsync(url, TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
    }
}
