using System.Net;
using System.Net.Http.Headers;

namespace Loupe.Integration.Tests.Telemetry;

/// <summary>Scrapes a host's <c>/metrics</c> as Prometheus would, with the scrape token.</summary>
internal static class MetricsScrape
{
    /// <summary>The token the test hosts are given (<c>Metrics:BearerToken</c>).</summary>
    public const string Token = "loupe-test-scrape-token-0123456789abcdef";

    public static async Task<PrometheusText> ScrapeAsync(HttpClient client, string path = "/metrics")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        return PrometheusText.Parse(text);
    }

    /// <summary>Sums the samples of a series whose labels include every one given.</summary>
    public static double Sum(this PrometheusText scrape, string name, params (string Label, string Value)[] labels) =>
        scrape.Series(name).Where(s => labels.All(l => s.Label(l.Label) == l.Value)).Sum(s => s.Value);
}
