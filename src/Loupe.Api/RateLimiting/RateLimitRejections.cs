using Loupe.Api.Telemetry;

namespace Loupe.Api.RateLimiting;

/// <summary>Counts and logs the requests the rate limiter refused; the count is exported as <c>loupe_http_rate_limited_total</c>.</summary>
internal sealed partial class RateLimitRejections(ApiMetrics metrics, ILogger<RateLimitRejections> logger)
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Add(HttpContext http, string policy, int retryAfterSeconds)
    {
        Interlocked.Increment(ref _count);
        metrics.RateLimited(http, policy);
        LogRejected(policy, http.Request.Path, retryAfterSeconds);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rate limit {Policy} reached on {Path}; retry after {RetryAfterSeconds} s")]
    private partial void LogRejected(string policy, PathString path, int retryAfterSeconds);
}
