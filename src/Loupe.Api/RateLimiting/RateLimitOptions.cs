namespace Loupe.Api.RateLimiting;

/// <summary>Requests per minute and client IP. Bound from <c>RateLimits</c> and checked at start-up.</summary>
internal sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Every request except the health probes (<c>RateLimits:GlobalPerMinute</c>).</summary>
    public int GlobalPerMinute { get; set; } = 100;

    /// <summary>Requests to endpoints using <see cref="RateLimitPolicies.Auth"/> (<c>RateLimits:AuthPerMinute</c>).</summary>
    public int AuthPerMinute { get; set; } = 10;

    internal IEnumerable<string> Problems()
    {
        if (GlobalPerMinute is < 1 or > 1_000_000)
        {
            yield return "RateLimits:GlobalPerMinute must be between 1 and 1000000.";
        }

        if (AuthPerMinute is < 1 or > 1_000_000)
        {
            yield return "RateLimits:AuthPerMinute must be between 1 and 1000000.";
        }
    }
}
