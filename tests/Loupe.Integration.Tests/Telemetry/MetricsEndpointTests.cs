using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Telemetry;

/// <summary><c>/metrics</c> of an in-process API host (ADR 0040): what a scrape is not; what it holds is <see cref="ApiProcessMetricsTests"/>.</summary>
public sealed class MetricsEndpointTests(MetricsApi api) : ResetBeforeEachTest(api), IClassFixture<MetricsApi>
{
    [Fact]
    public async Task Scrape_IsNotRateLimited_NorLogged_NorAnOperationOfTheApiDocument()
    {
        using var scraper = api.Factory.CreateClient();

        var scrapes = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => MetricsScrape.ScrapeAsync(scraper)));
        var document = await scraper.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken);

        scrapes.ShouldAllBe(s => s.Samples.Count > 0);
        document.ShouldNotContain("/metrics");
        api.Factory.Logs.Lines.ShouldNotContain(e => e.Category.StartsWith("Loupe.", StringComparison.Ordinal) && e.Message.Contains("/metrics", StringComparison.Ordinal));
    }
}
