using Loupe.Infrastructure.Jobs;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Loupe.Infrastructure.Health;

/// <summary>Where this process runs the job engine: ready once its claim loop reaches the database, and while it keeps doing so.</summary>
internal sealed class JobEngineHealthCheck(JobEngine engine) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(engine.IsHealthy
            ? HealthCheckResult.Healthy($"Node {engine.Node} runs {engine.RunningCount} job(s).")
            : HealthCheckResult.Unhealthy($"Node {engine.Node} has not reached the database recently."));
}
