namespace Loupe.Api.RateLimiting;

/// <summary>Counts and logs the requests the rate limiter refused, for the metrics to come.</summary>
internal sealed partial class RateLimitRejections(ILogger<RateLimitRejections> logger)
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Add(PathString path, int retryAfterSeconds)
    {
        Interlocked.Increment(ref _count);
        LogRejected(path, retryAfterSeconds);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rate limit reached on {Path}; retry after {RetryAfterSeconds} s")]
    private partial void LogRejected(PathString path, int retryAfterSeconds);
}
