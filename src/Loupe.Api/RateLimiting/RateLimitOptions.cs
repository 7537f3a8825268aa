namespace Loupe.Api.RateLimiting;

/// <summary>Requests per minute of each budget (see <see cref="RateLimitPolicies"/>). Bound from <c>RateLimits</c> and checked at start-up.</summary>
internal sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Requests nobody is signed in for, per client IP (<c>RateLimits:GlobalPerMinute</c>).</summary>
    public int GlobalPerMinute { get; set; } = 100;

    /// <summary>Sign-in, registration and password reset, per client IP (<c>RateLimits:AuthPerMinute</c>).</summary>
    public int AuthPerMinute { get; set; } = 10;

    /// <summary>Refresh-token rotations, per client IP (<c>RateLimits:RefreshPerMinute</c>).</summary>
    public int RefreshPerMinute { get; set; } = 60;

    /// <summary>Requests of a signed-in user, whatever their address or session (<c>RateLimits:UserPerMinute</c>).</summary>
    public int UserPerMinute { get; set; } = 1200;

    /// <summary>Requests made with one API key (<c>RateLimits:ApiKeyPerMinute</c>).</summary>
    public int ApiKeyPerMinute { get; set; } = 1200;

    /// <summary>Runs started by one user or API key, ad hoc or of a saved query (<c>RateLimits:RunStartsPerMinute</c>).</summary>
    public int RunStartsPerMinute { get; set; } = 60;

    internal IEnumerable<string> Problems()
    {
        foreach (var (name, value) in new[]
        {
            (nameof(GlobalPerMinute), GlobalPerMinute),
            (nameof(AuthPerMinute), AuthPerMinute),
            (nameof(RefreshPerMinute), RefreshPerMinute),
            (nameof(UserPerMinute), UserPerMinute),
            (nameof(ApiKeyPerMinute), ApiKeyPerMinute),
            (nameof(RunStartsPerMinute), RunStartsPerMinute),
        })
        {
            if (value is < 1 or > 1_000_000)
            {
                yield return $"RateLimits:{name} must be between 1 and 1000000.";
            }
        }
    }
}
