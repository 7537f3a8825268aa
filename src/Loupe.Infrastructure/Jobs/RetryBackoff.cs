namespace Loupe.Infrastructure.Jobs;

/// <summary>
/// Exponential backoff with jitter: the n-th retry waits base · 2^(n-1), capped at the maximum, of
/// which the second half is random ("equal jitter"), so jobs that failed together do not all come back
/// at the same instant, and none comes back sooner than half its step.
/// </summary>
internal static class RetryBackoff
{
    /// <param name="failedAttempt">The attempt that just failed, 1 for the first.</param>
    /// <param name="random">A number in [0, 1).</param>
    public static TimeSpan Delay(int failedAttempt, TimeSpan baseDelay, TimeSpan maxDelay, double random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempt, 1);
        var step = Math.Min(maxDelay.TotalSeconds, baseDelay.TotalSeconds * Math.Pow(2, Math.Min(failedAttempt - 1, 30)));
        return TimeSpan.FromSeconds((step / 2) + (step / 2 * Math.Clamp(random, 0, 1)));
    }
}
