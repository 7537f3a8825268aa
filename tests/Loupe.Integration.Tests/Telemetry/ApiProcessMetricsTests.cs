using Loupe.Infrastructure.Dashboards;
using Loupe.Infrastructure.Jobs;
using Loupe.Infrastructure.Persistence;
using Loupe.Infrastructure.Persistence.Migrations;
using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Jobs;
using Loupe.Integration.Tests.Runs;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Telemetry;

/// <summary>
/// <c>/metrics</c> of the API (ADR 0040), scraped and parsed as Prometheus reads it, from an API alone in
/// its process (see <see cref="ApiProcess"/> for why): the requests, jobs, runs and pools it counts.
/// </summary>
[Collection(JobEngineSerial.Name)]
public sealed class ApiProcessMetricsTests(ApiProcess api) : IClassFixture<ApiProcess>
{
    private const string RunRoute = "/api/v1/runs/{id:guid}";

    [Fact]
    public async Task Scrape_AfterRequestsAndARun_HasHttpJobRunAndPoolSeries_WithSensibleValues()
    {
        var admin = await api.Identity.RegisterAsync();
        var source = await RunsApi.CreateSourceAsync(admin, TestPostgres.AdminConnection, api.SourceDatabase);
        var marker = $"m{Guid.NewGuid():N}";
        using var scraper = api.NewClient();
        var before = await MetricsScrape.ScrapeAsync(scraper);

        var run = await RunsApi.StartAsync(admin, source, $"select 1 as {marker}");
        var finished = await RunsApi.FinishedAsync(admin, run.GetProperty("id").GetGuid());
        for (var i = 0; i < 3; i++)
        {
            await IdentityApi.GetOkAsync(admin.Client, $"/api/v1/runs/{run.GetProperty("id").GetGuid()}");
        }

        var after = await MetricsScrape.ScrapeAsync(scraper);

        finished.GetProperty("status").GetString().ShouldBe("succeeded");
        after.TypesByFamily["http_server_request_duration_seconds"].ShouldBe("histogram");
        var okRunReads = new (string Label, string Value)[] { ("http_route", RunRoute), ("http_request_method", "GET"), ("http_response_status_code", "200") };
        (after.Sum("http_server_request_duration_seconds_count", okRunReads) - before.Sum("http_server_request_duration_seconds_count", okRunReads))
            .ShouldBeGreaterThanOrEqualTo(4);
        ShouldBeWellFormedHistograms(after, "http_server_request_duration_seconds");

        after.TypesByFamily["loupe_jobs_claimed_total"].ShouldBe("counter");
        after.Sum("loupe_jobs_claimed_total", ("kind", "query.run")).ShouldBeGreaterThan(0);
        after.Sum("loupe_jobs_finished_total", ("kind", "query.run"), ("outcome", "succeeded")).ShouldBeGreaterThan(0);
        ShouldBeWellFormedHistograms(after, "loupe_jobs_duration_seconds");
        after.Series("loupe_jobs_running").ShouldNotBeEmpty();
        after.Sum("loupe_runs_finished_total", ("status", "succeeded"))
            .ShouldBeGreaterThan(before.Sum("loupe_runs_finished_total", ("status", "succeeded")));

        after.Sum("db_client_connection_max", ("db_client_connection_pool_name", "loupe")).ShouldBeGreaterThan(0);
        after.Series("db_client_connection_count").Where(s => s.Label("db_client_connection_pool_name") == "loupe")
            .Select(s => s.Label("db_client_connection_state")).Distinct().ShouldBe(["idle", "used"], ignoreOrder: true);
        after.Series("db_client_connection_count").ShouldContain(s => s.Label("db_client_connection_pool_name").StartsWith("datasource-", StringComparison.Ordinal));

        // Every pool has a name: an unnamed one would be labelled with its connection string (host, database, role).
        string[] ownPools = ["loupe", "loupe-jobs", "loupe-jobs-listener", DashboardChangeListener.PoolName, OwnerConnections.PoolName, MigrationRunner.PoolName];
        after.Series("db_client_connection_count").Select(s => s.Label("db_client_connection_pool_name")).Distinct()
            .ShouldAllBe(name => ownPools.Contains(name) || name.StartsWith("datasource-", StringComparison.Ordinal));

        // Job durations are counted in seconds-sized buckets, 5 ms to 30 minutes, not the SDK's millisecond defaults.
        var bounds = after.Series("loupe_jobs_duration_seconds_bucket").Where(b => b.Label("kind") == "query.run" && b.Label("outcome") == "succeeded")
            .Select(UpperBound).Where(double.IsFinite).ToList();
        bounds.ShouldBe(JobMetrics.Buckets, ignoreOrder: true);
        after.Sum("loupe_jobs_duration_seconds_bucket", ("kind", "query.run"), ("outcome", "succeeded"), ("le", "1800"))
            .ShouldBe(after.Sum("loupe_jobs_duration_seconds_count", ("kind", "query.run"), ("outcome", "succeeded")));

        // What the user wrote is nowhere in the metrics: not in a label, not in a name.
        after.Samples.ShouldAllBe(s => !s.Name.Contains(marker, StringComparison.Ordinal) && !s.Labels.Values.Any(v => v.Contains(marker, StringComparison.Ordinal)));
    }

    private static double UpperBound(PrometheusSample bucket) =>
        bucket.Label("le") == "+Inf" ? double.PositiveInfinity : double.Parse(bucket.Label("le"), System.Globalization.CultureInfo.InvariantCulture);

    private static void ShouldBeWellFormedHistograms(PrometheusText scrape, string family)
    {
        var buckets = scrape.Series(family + "_bucket").ToList();
        buckets.ShouldNotBeEmpty();
        foreach (var series in buckets.GroupBy(b => string.Join(',', b.Labels.Where(l => l.Key != "le").OrderBy(l => l.Key, StringComparer.Ordinal))))
        {
            var ordered = series.OrderBy(UpperBound).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                ordered[i].Value.ShouldBeGreaterThanOrEqualTo(ordered[i - 1].Value, $"{family} buckets of {series.Key} are cumulative");
            }

            ordered[^1].Label("le").ShouldBe("+Inf");
            var labels = ordered[^1].Labels.Where(l => l.Key != "le").ToList();
            var count = scrape.Series(family + "_count").Single(c => c.Labels.Count == labels.Count && labels.All(l => c.Label(l.Key) == l.Value));
            ordered[^1].Value.ShouldBe(count.Value, $"the +Inf bucket of {family} {series.Key} is its count");
        }
    }
}
