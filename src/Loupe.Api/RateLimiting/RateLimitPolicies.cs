namespace Loupe.Api.RateLimiting;

/// <summary>Named rate limit policies, for <c>.RequireRateLimiting(...)</c> on endpoints.</summary>
public static class RateLimitPolicies
{
    /// <summary>The stricter per-IP limit of the authentication endpoints (<c>RateLimits:AuthPerMinute</c>).</summary>
    public const string Auth = "auth";
}
