using System.Threading.RateLimiting;
using Loupe.Api.Security;
using Loupe.Infrastructure.Security.Tokens;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Loupe.Api.RateLimiting;

/// <summary>Which budget a request is counted against, and the budgets themselves (one per policy and partition).</summary>
internal sealed class RateLimitBudgets : IDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly RateLimitOptions _limits;
    private readonly PartitionedRateLimiter<Budget> _budgets;

    public RateLimitBudgets(IOptions<RateLimitOptions> limits, TimeProvider clock)
    {
        _limits = limits.Value;
        _budgets = PartitionedRateLimiter.Create<Budget, Budget>(budget =>
            RateLimitPartition.Get(budget, b => new FixedWindowBudget(b.PermitsPerMinute, Window, clock)));
    }

    /// <summary>The request's budget, or none for the endpoints that are never limited (the health probes).</summary>
    public Budget? For(HttpContext http)
    {
        var endpoint = http.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<DisableRateLimitingAttribute>() is not null)
        {
            return null;
        }

        return endpoint?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName switch
        {
            null => ByCaller(http),
            RateLimitPolicies.Auth => new Budget(RateLimitPolicies.Auth, ClientOf(http), _limits.AuthPerMinute),
            RateLimitPolicies.Refresh => new Budget(RateLimitPolicies.Refresh, ClientOf(http), _limits.RefreshPerMinute),
            RateLimitPolicies.RunStart => new Budget(RateLimitPolicies.RunStart, ByCaller(http).Partition, _limits.RunStartsPerMinute),
            var unknown => throw new InvalidOperationException($"No rate limit policy is named '{unknown}'."),
        };
    }

    public RateLimitLease Acquire(Budget budget) => _budgets.AttemptAcquire(budget);

    public void Dispose() => _budgets.Dispose();

    /// <summary>
    /// The authenticated caller: only a credential the authentication handlers accepted (a live
    /// session, an unrevoked key) counts; anything else, including an invalid token, is its address.
    /// </summary>
    private Budget ByCaller(HttpContext http)
    {
        var caller = AnonymousCaller.IsOn(http) ? null : http.User;
        if (caller?.Identity?.IsAuthenticated == true)
        {
            if (caller.FindFirst(HttpRequestOrigin.ApiKeyClaim)?.Value is { Length: > 0 } apiKey)
            {
                return new Budget(RateLimitPolicies.ApiKey, "key:" + apiKey, _limits.ApiKeyPerMinute);
            }

            if (caller.FindFirst(AccessTokenClaimNames.Subject)?.Value is { Length: > 0 } user)
            {
                return new Budget(RateLimitPolicies.User, "user:" + user, _limits.UserPerMinute);
            }
        }

        return new Budget(RateLimitPolicies.Client, ClientOf(http), _limits.GlobalPerMinute);
    }

    /// <summary>The client address as the forwarded-headers middleware left it (proxies are trusted only when configured).</summary>
    private static string ClientOf(HttpContext http) => "ip:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
}

/// <summary>One budget: a policy, the partition it counts (an address, a user, a key) and its size.</summary>
internal readonly record struct Budget(string Policy, string Partition, int PermitsPerMinute);
