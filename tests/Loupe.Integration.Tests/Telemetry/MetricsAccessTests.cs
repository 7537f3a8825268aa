using System.Net;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Telemetry;

/// <summary>Who may read <c>/metrics</c> (ADR 0040): the holder of the scrape token; without a token, only a Development host's caller.</summary>
public sealed class MetricsAccessTests(DatabaseFixture database) : ResetBeforeEachTest(database), IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Production_RefusesScrapesWithoutTheToken_AndAnswersTheTokenHolder()
    {
        await using var factory = LoupeApiFactory.For(database, environment: "Production", settings: new Dictionary<string, string?>
        {
            ["Metrics:BearerToken"] = MetricsScrape.Token,
        });
        using var client = factory.CreateClient();

        using var anonymous = await client.GetAsync("/metrics", TestContext.Current.CancellationToken);
        using var wrong = await GetAsync(client, "Bearer " + MetricsScrape.Token[..^1] + "x");
        using var basic = await GetAsync(client, "Basic " + MetricsScrape.Token);
        var scrape = await MetricsScrape.ScrapeAsync(client);

        await anonymous.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        anonymous.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer");
        await wrong.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await basic.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        scrape.Samples.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task Production_WithoutAToken_RefusesEveryScrape()
    {
        await using var factory = LoupeApiFactory.For(database, environment: "Production");
        using var client = factory.CreateClient();

        using var anonymous = await client.GetAsync("/metrics", TestContext.Current.CancellationToken);
        using var guessed = await GetAsync(client, "Bearer " + MetricsScrape.Token);

        await anonymous.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await guessed.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Development_WithoutAToken_IsOpen()
    {
        await using var factory = LoupeApiFactory.For(database, environment: "Development");
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/metrics", TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        PrometheusText.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Samples.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task RateLimitRejections_AreCountedByRouteTemplateAndPolicy()
    {
        await using var factory = LoupeApiFactory.For(database, withProbes: true, settings: new Dictionary<string, string?>
        {
            ["RateLimits:GlobalPerMinute"] = "2",
            ["Metrics:BearerToken"] = MetricsScrape.Token,
        });
        using var client = factory.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            using var _ = await client.GetAsync("/api/v1/_probe/ping", TestContext.Current.CancellationToken);
        }

        var scrape = await MetricsScrape.ScrapeAsync(client);

        scrape.TypesByFamily["loupe_http_rate_limited_total"].ShouldBe("counter");
        scrape.Sum("loupe_http_rate_limited_total", ("http_route", "/api/v1/_probe/ping")).ShouldBeGreaterThanOrEqualTo(1);
        scrape.Sum("loupe_http_rate_limited_total", ("http_route", "/api/v1/_probe/ping"), ("policy", "ip")).ShouldBeGreaterThanOrEqualTo(1);
        scrape.Sum("http_server_request_duration_seconds_count", ("http_route", "/api/v1/_probe/ping"), ("http_response_status_code", "429"))
            .ShouldBeGreaterThanOrEqualTo(1);
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
