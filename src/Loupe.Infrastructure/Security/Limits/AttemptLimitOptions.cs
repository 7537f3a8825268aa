namespace Loupe.Infrastructure.Security.Limits;

/// <summary>One scope's limit: at most <see cref="PermitLimit"/> attempts in any <see cref="WindowSeconds"/>.</summary>
internal sealed class AttemptWindow
{
    public int PermitLimit { get; set; }

    public int WindowSeconds { get; set; }

    public TimeSpan Window => TimeSpan.FromSeconds(WindowSeconds);
}

/// <summary>
/// Limits of the attempt limiter (<c>RateLimits</c>): <c>RateLimits:Scopes:{scope}:PermitLimit</c> and
/// <c>:WindowSeconds</c>, with built-in defaults for <c>auth.email</c> and <c>auth.ip</c>.
/// </summary>
internal sealed class AttemptLimitOptions
{
    public const string Section = "RateLimits";

    public const string AuthEmailScope = "auth.email";
    public const string AuthIpScope = "auth.ip";

    public const int MaximumPermitLimit = 10_000;

    public Dictionary<string, AttemptWindow> Scopes { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        [AuthEmailScope] = new AttemptWindow { PermitLimit = 10, WindowSeconds = 60 },
        [AuthIpScope] = new AttemptWindow { PermitLimit = 10, WindowSeconds = 60 },
    };

    /// <summary>Keys tracked at most (<c>RateLimits:MaxTrackedKeys</c>), over all scopes.</summary>
    public int MaxTrackedKeys { get; set; } = 100_000;

    internal IEnumerable<string> Problems()
    {
        foreach (var (scope, window) in Scopes)
        {
            if (window.PermitLimit is < 1 or > MaximumPermitLimit)
            {
                yield return $"{Section}:Scopes:{scope}:PermitLimit must be between 1 and {MaximumPermitLimit}.";
            }

            if (window.WindowSeconds is < 1 or > 86_400)
            {
                yield return $"{Section}:Scopes:{scope}:WindowSeconds must be between 1 and 86400.";
            }
        }

        if (MaxTrackedKeys is < 100 or > 10_000_000)
        {
            yield return $"{Section}:MaxTrackedKeys must be between 100 and 10000000.";
        }
    }
}
