using Loupe.Infrastructure.Telemetry;
using OpenTelemetry.Metrics;

namespace Loupe.Worker;

/// <summary>The worker's telemetry (ADR 0040): the shared set of <c>AddLoupeTelemetry</c>, read by Prometheus through <see cref="MetricsListener"/>.</summary>
internal static class WorkerTelemetry
{
    public const string ServiceName = "loupe-worker";

    public static IServiceCollection AddWorkerTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddLoupeTelemetry(configuration, ServiceName, metrics: metrics => metrics.AddPrometheusExporter());
        services.AddHostedService<MetricsListener>();
        return services;
    }
}
