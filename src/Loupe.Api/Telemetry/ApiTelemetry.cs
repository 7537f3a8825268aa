using Loupe.Hosting.Telemetry;
using Loupe.Infrastructure.Telemetry;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Loupe.Api.Telemetry;

/// <summary>
/// The API's telemetry (ADR 0040): the shared set of <c>AddLoupeTelemetry</c>, plus ASP.NET Core's
/// request spans and HTTP server metrics (by route template and status), the API's own meter, and the
/// Prometheus endpoint <c>/metrics</c> on the API's listener, answered only to an allowed scraper.
/// </summary>
internal static class ApiTelemetry
{
    public const string ServiceName = "loupe-api";

    public static IServiceCollection AddApiTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ApiMetrics>();
        return services.AddLoupeTelemetry(
            configuration,
            ServiceName,
            tracing => tracing.AddAspNetCoreInstrumentation(options =>
            {
                options.Filter = http => !IsOperatorPath(http.Request.Path);
                options.EnrichWithHttpResponse = HideSecretInPath;
            }),
            metrics => metrics.AddAspNetCoreInstrumentation().AddMeter(ApiMetrics.MeterName).AddPrometheusExporter());
    }

    /// <summary>
    /// Serves <c>/metrics</c> right after the request id, ahead of the rest of the pipeline: a scrape every
    /// few seconds is neither logged, rate-limited nor authenticated as a user; <see cref="MetricsAccess"/> decides alone.
    /// </summary>
    public static WebApplication UseLoupeMetrics(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value.Enabled)
        {
            return app;
        }

        app.UseGatedMetricsEndpoint(app.Services.GetRequiredService<MetricsAccess>());
        return app;
    }

    /// <summary>
    /// A path that carries a credential (<c>/invitations/{token}</c>) is recorded as its route
    /// template, so the token never reaches a trace.
    /// </summary>
    private static void HideSecretInPath(System.Diagnostics.Activity activity, HttpResponse response)
    {
        if (response.HttpContext.GetEndpoint() is RouteEndpoint endpoint && endpoint.RoutePattern.GetParameter("token") is not null)
        {
            activity.SetTag("url.path", endpoint.RoutePattern.RawText);
        }
    }

    /// <summary>Scrapes and probes every few seconds: counted in the metrics, never traced.</summary>
    private static bool IsOperatorPath(PathString path) =>
        path == MetricsOptions.Path || path.StartsWithSegments("/health", StringComparison.Ordinal);
}
