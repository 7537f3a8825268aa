using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Loupe.Api.Telemetry;

/// <summary>The API's own instruments, on the meter <c>Loupe.Api</c>: requests the rate limiter refused, by policy and route template.</summary>
internal sealed class ApiMetrics
{
    public const string MeterName = "Loupe.Api";

    private readonly Counter<long> _rateLimited;

    public ApiMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _rateLimited = meter.CreateCounter<long>("loupe.http.rate_limited", "{request}", "Requests refused by the rate limiter (429), by route template and policy.");
    }

    /// <summary>The route template, never the path: a path holds ids, and every id would be a series.</summary>
    public void RateLimited(HttpContext http, string policy) =>
        _rateLimited.Add(1, new KeyValuePair<string, object?>("http.route", RouteOf(http)), new KeyValuePair<string, object?>("policy", policy));

    private static string RouteOf(HttpContext http) =>
        http.GetEndpoint() is RouteEndpoint { RoutePattern: RoutePattern pattern } ? pattern.RawText ?? "unmatched" : "unmatched";
}
