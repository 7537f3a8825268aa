using Loupe.Domain.Webhooks;

namespace Loupe.Application.Webhooks;

/// <summary>
/// How this instance delivers webhooks (the <c>Webhooks</c> section): whether plain http is accepted
/// (Development only), where deliveries may go, when a failing webhook disables itself, how retries
/// are spaced, and how many deliveries one node sends at once.
/// </summary>
public sealed record WebhookSettings(
    bool AllowHttp,
    WebhookAddressPolicy AddressPolicy,
    int DisableAfterFailures,
    TimeSpan RetryBase,
    TimeSpan RetryMax,
    int MaxConcurrentDeliveries)
{
    public static WebhookSettings Default { get; } =
        new(false, new WebhookAddressPolicy(), 15, TimeSpan.FromSeconds(10), TimeSpan.FromHours(1), 16);

    /// <summary>
    /// The wait before the attempt after <paramref name="failedAttempt"/>: base · 2^(n-1), capped at the
    /// maximum, of which the second half is random, so receivers that failed together are not all tried
    /// again at the same instant.
    /// </summary>
    /// <param name="random">A number in [0, 1).</param>
    public TimeSpan RetryDelay(int failedAttempt, double random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempt, 1);
        var step = Math.Min(RetryMax.TotalSeconds, RetryBase.TotalSeconds * Math.Pow(2, Math.Min(failedAttempt - 1, 30)));
        return TimeSpan.FromSeconds((step / 2) + (step / 2 * Math.Clamp(random, 0, 1)));
    }
}
