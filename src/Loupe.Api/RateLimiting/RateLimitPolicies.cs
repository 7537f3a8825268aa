namespace Loupe.Api.RateLimiting;

/// <summary>
/// The budgets a request can be counted against; each request is counted against exactly one.
/// The first three are named on endpoints with <c>.RequireRateLimiting(...)</c>; every other
/// request falls in <see cref="ApiKey"/>, <see cref="User"/> or <see cref="Client"/> by who sent it.
/// The names are the <c>policy</c> label of <c>loupe_http_rate_limited_total</c>.
/// </summary>
public static class RateLimitPolicies
{
    /// <summary>The stricter per-IP limit of the account-entry endpoints (<c>RateLimits:AuthPerMinute</c>).</summary>
    public const string Auth = "auth";

    /// <summary>Refresh-token rotation, per IP, apart from sign-in so failed sign-ins cannot block it (<c>RateLimits:RefreshPerMinute</c>).</summary>
    public const string Refresh = "refresh";

    /// <summary>Starting a run, per user or API key (<c>RateLimits:RunStartsPerMinute</c>).</summary>
    public const string RunStart = "run_start";

    /// <summary>Requests with a valid API key, per key (<c>RateLimits:ApiKeyPerMinute</c>).</summary>
    public const string ApiKey = "api_key";

    /// <summary>Requests with a valid access token, per user (<c>RateLimits:UserPerMinute</c>).</summary>
    public const string User = "user";

    /// <summary>Requests without valid credentials, per client IP (<c>RateLimits:GlobalPerMinute</c>).</summary>
    public const string Client = "ip";
}
