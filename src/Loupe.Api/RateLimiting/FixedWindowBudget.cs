using System.Threading.RateLimiting;

namespace Loupe.Api.RateLimiting;

/// <summary>
/// One partition's budget: <c>permitLimit</c> requests in a fixed window that starts at the first
/// request after the previous one ended. Unlike the framework's fixed window limiter it says, on
/// every lease, how much is left and when the window ends, which the <c>RateLimit-*</c> headers need.
/// </summary>
internal sealed class FixedWindowBudget(int permitLimit, TimeSpan window, TimeProvider clock) : RateLimiter
{
    private readonly Lock _gate = new();
    private long _windowStartedAt = long.MinValue;
    private int _used;
    private long _refused;
    private long _granted;

    /// <summary>Idle once its window ended: the partitioned limiter then drops it, and a new one starts from zero anyway.</summary>
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_gate)
            {
                var over = Elapsed() - window;
                return over > TimeSpan.Zero ? over : null;
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_gate)
        {
            Roll();
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = permitLimit - _used,
                CurrentQueuedCount = 0,
                TotalFailedLeases = _refused,
                TotalSuccessfulLeases = _granted,
            };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (_gate)
        {
            Roll();
            var granted = _used + permitCount <= permitLimit;
            if (granted)
            {
                _used += permitCount;
                _granted++;
            }
            else
            {
                _refused++;
            }

            return new BudgetLease(granted, new RateLimitStatus(permitLimit, permitLimit - _used, window - Elapsed()));
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private TimeSpan Elapsed() =>
        _windowStartedAt == long.MinValue ? TimeSpan.MaxValue : clock.GetElapsedTime(_windowStartedAt);

    private void Roll()
    {
        if (_windowStartedAt == long.MinValue || clock.GetElapsedTime(_windowStartedAt) >= window)
        {
            _windowStartedAt = clock.GetTimestamp();
            _used = 0;
        }
    }

    private sealed class BudgetLease(bool granted, RateLimitStatus status) : RateLimitLease
    {
        public override bool IsAcquired => granted;

        public override IEnumerable<string> MetadataNames => [RateLimitStatus.MetadataName.Name, MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (metadataName == RateLimitStatus.MetadataName.Name)
            {
                metadata = status;
                return true;
            }

            if (!granted && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = status.ResetsIn;
                return true;
            }

            metadata = null;
            return false;
        }
    }
}

/// <summary>What a budget's lease says: its limit, what is left of it, and when the window ends.</summary>
internal sealed record RateLimitStatus(int Limit, int Remaining, TimeSpan ResetsIn)
{
    public static readonly MetadataName<RateLimitStatus> MetadataName = new("loupe.rate_limit_status");

    /// <summary>Whole seconds until the window ends, at least 1 (a client that waits that long finds a new window).</summary>
    public int ResetSeconds => Math.Clamp((int)Math.Ceiling(ResetsIn.TotalSeconds), 1, int.MaxValue);
}
