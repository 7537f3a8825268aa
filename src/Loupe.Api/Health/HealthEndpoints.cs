using Loupe.Api.Problems;
using Loupe.Infrastructure;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Loupe.Api.Health;

/// <summary>
/// <c>/health/live</c>: the process answers. <c>/health/ready</c>: the database is reachable and every
/// migration is applied; otherwise 503 problem+json naming the failing checks (never their exceptions).
/// Probes are exempt from rate limits: an orchestrator polling them must never be refused.
/// </summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = WriteAsync,
        }).ExcludeFromDescription().DisableRateLimiting();

        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(DependencyInjection.ReadinessTag),
            ResponseWriter = WriteAsync,
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        }).ExcludeFromDescription().DisableRateLimiting();

        return endpoints;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.Headers.CacheControl = "no-store";
        var checks = report.Entries.ToDictionary(
            e => e.Key,
            e => new { status = e.Value.Status.ToString().ToLowerInvariant(), description = e.Value.Description },
            StringComparer.Ordinal);

        if (report.Status == HealthStatus.Unhealthy)
        {
            var problem = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Not ready",
                Detail = "Loupe is not ready to serve requests: " +
                         string.Join(", ", report.Entries.Where(e => e.Value.Status == HealthStatus.Unhealthy).Select(e => e.Key)) + ".",
                Type = "https://tools.ietf.org/html/rfc9110#section-15.6.4",
                Extensions = { ["checks"] = checks },
            };
            return context.WriteProblemAsync(problem).AsTask();
        }

        return context.Response.WriteAsJsonAsync(new { status = report.Status.ToString().ToLowerInvariant(), checks });
    }
}
