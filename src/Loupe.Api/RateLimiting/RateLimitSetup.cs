using Loupe.Infrastructure.Configuration;

namespace Loupe.Api.RateLimiting;

/// <summary>
/// Rate limits in fixed one-minute windows, kept in this process (see ADRs 0016 and 0043): every
/// request is counted against one budget — its endpoint's policy, else its API key, its user, or
/// its client IP — and every answer says how much of it is left.
/// </summary>
internal static class RateLimitSetup
{
    public static IServiceCollection AddLoupeRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>()
            .Configure(options => configuration.GetSection(RateLimitOptions.Section).Bind(options))
            .ValidateProblems(options => options.Problems());
        services.AddSingleton<RateLimitRejections>();
        services.AddSingleton<RateLimitBudgets>();
        return services;
    }

    /// <summary>After authentication (the user and API key budgets need the caller) and routing (the policies are endpoint metadata).</summary>
    public static IApplicationBuilder UseLoupeRateLimits(this IApplicationBuilder app) => app.UseMiddleware<RateLimitMiddleware>();
}
