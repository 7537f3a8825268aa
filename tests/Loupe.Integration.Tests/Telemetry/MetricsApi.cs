using Loupe.Integration.Tests.Runs;

namespace Loupe.Integration.Tests.Telemetry;

/// <summary>An API host running the job engine, with the scrape token set.</summary>
public sealed class MetricsApi : RunsApi
{
    protected override void AddSettings(IDictionary<string, string?> settings) => settings["Metrics:BearerToken"] = MetricsScrape.Token;
}
