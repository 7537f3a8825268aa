using System.Net;
using System.Text;
using Loupe.Application.Common.Jobs;
using Loupe.Infrastructure.Jobs;
using Loupe.Integration.Tests.Jobs;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Telemetry;

/// <summary>A real <c>Loupe.Worker</c> process serves its metrics on <c>Metrics:Port</c> (ADR 0040), to the token holder only.</summary>
[Collection(JobEngineSerial.Name)]
public sealed class WorkerMetricsTests : IAsyncLifetime
{
    private readonly ScratchDatabases _databases = new();
    private string _database = string.Empty;

    public async ValueTask InitializeAsync() => _database = await _databases.MigratedAsync();

    public ValueTask DisposeAsync() => _databases.DisposeAsync();

    [Fact]
    public async Task Worker_ServesItsJobAndPoolMetrics_OnItsMetricsPort_ToTheTokenHolderOnly()
    {
        var port = LoupeProcess.FreePort();
        var output = new StringBuilder();
        await using var enqueuer = JobNode.Create(_database, "node-enqueuer");
        var id = (await enqueuer.EnqueueAsync(null, new JobRequest(ProbeJobHandler.JobKind, ProbeJobHandler.Payload(0), null)))[0];
        using var worker = WorkerProcess.Start(
            TestPostgres.AppConnection(_database),
            TestPostgres.OwnerConnection(_database),
            "worker-metrics",
            output,
            new Dictionary<string, string> { ["Metrics__Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Metrics__BearerToken"] = MetricsScrape.Token });
        try
        {
            await JobRows.WaitForAsync(_database, id, TimeSpan.FromSeconds(60), "succeeded");
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

            using var anonymous = await client.GetAsync("/metrics", TestContext.Current.CancellationToken);
            using var elsewhere = await client.GetAsync("/api/v1/me", TestContext.Current.CancellationToken);
            var scrape = await MetricsScrape.ScrapeAsync(client);

            anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, output.ToString());
            elsewhere.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            scrape.Sum("loupe_jobs_claimed_total", ("kind", ProbeJobHandler.JobKind)).ShouldBe(1);
            scrape.Sum("loupe_jobs_finished_total", ("kind", ProbeJobHandler.JobKind), ("outcome", "succeeded")).ShouldBe(1);
            scrape.Sum("db_client_connection_max", ("db_client_connection_pool_name", "loupe-jobs")).ShouldBeGreaterThan(0);
            scrape.Series("target_info").ShouldContain(s => s.Label("service_name") == "loupe-worker");
            scrape.Series("http_server_request_duration_seconds_count").ShouldBeEmpty();
        }
        finally
        {
            if (!worker.HasExited)
            {
                worker.Kill();
            }
        }
    }
}
