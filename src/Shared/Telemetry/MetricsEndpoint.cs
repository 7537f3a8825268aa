using Loupe.Application.Common.Exceptions;
using Loupe.Infrastructure.Telemetry;
using Microsoft.AspNetCore.Mvc;
using OpenTelemetry.Metrics;

namespace Loupe.Hosting.Telemetry;

/// <summary>
/// The one <c>/metrics</c> gate of both hosts (ADR 0040), compiled into <c>Loupe.Api</c> and
/// <c>Loupe.Worker</c> from this file (Infrastructure holds no ASP.NET Core): Prometheus text for a
/// scraper <see cref="MetricsAccess"/> allows, otherwise a 401 problem (code <c>unauthorized</c>) with
/// <c>WWW-Authenticate: Bearer</c>, written by the host's problem details service when it has one (the
/// API's adds its <c>error_id</c>).
/// </summary>
internal static class MetricsEndpoint
{
    public static IApplicationBuilder UseGatedMetricsEndpoint(this IApplicationBuilder app, MetricsAccess access, MeterProvider? meters = null) =>
        app.UseOpenTelemetryPrometheusScrapingEndpoint(
            meterProvider: meters,
            predicate: http => http.Request.Path == MetricsOptions.Path,
            path: null,
            configureBranchedPipeline: branch => branch.Use(async (http, next) =>
            {
                if (access.Allows(http.Request.Headers.Authorization))
                {
                    await next(http).ConfigureAwait(false);
                    return;
                }

                http.Response.Headers.WWWAuthenticate = "Bearer";
                await TypedResults.Problem(new ProblemDetails
                {
                    Status = StatusCodes.Status401Unauthorized,
                    Title = "Unauthorized",
                    Detail = "Metrics are read with the scrape token (Metrics:BearerToken).",
                    Type = "https://tools.ietf.org/html/rfc9110#section-15.5.2",
                    Extensions = { ["code"] = ErrorCodes.Unauthorized },
                }).ExecuteAsync(http).ConfigureAwait(false);
            }),
            optionsName: null);
}
