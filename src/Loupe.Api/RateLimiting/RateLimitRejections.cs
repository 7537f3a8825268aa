using Loupe.Api.Telemetry;

namespace Loupe.Api.RateLimiting;

/// <summary>Counts and logs the requests the rate limiter refused; the count is exported as <c>loupe_http_rate_limited_total</c>.</summary>
internal sealed partial class RateLimitRejections(ApiMetrics metrics, ILogger<RateLimitRejections> logger)
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Add(HttpContext http, int retryAfterSeconds)
    {
        Interlocked.Increment(ref _count);
        metrics.RateLimited(http);
        LogRejected(http.Request.Path, retryAfterSeconds);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rate limit reached on {Path}; retry after {RetryAfterSeconds} s")]
    private partial void LogRejected(PathString path, int retryAfterSeconds);
}
