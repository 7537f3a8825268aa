using System.Globalization;
using System.Threading.RateLimiting;
using Loupe.Api.Problems;
using Loupe.Infrastructure.Configuration;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Loupe.Api.RateLimiting;

/// <summary>
/// Per-client-IP limits in fixed one-minute windows, kept in this process (see ADR 0016): a global
/// one for every request except the health probes, and <see cref="RateLimitPolicies.Auth"/>.
/// </summary>
internal static class RateLimitSetup
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public static IServiceCollection AddLoupeRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>()
            .Configure(options => configuration.GetSection(RateLimitOptions.Section).Bind(options))
            .ValidateProblems(options => options.Problems());
        services.AddSingleton<RateLimitRejections>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>()
            .Configure<IOptions<RateLimitOptions>>((limiter, limits) =>
            {
                var global = limits.Value.GlobalPerMinute;
                var auth = limits.Value.AuthPerMinute;
                limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => PerClient(context, global));
                limiter.AddPolicy(RateLimitPolicies.Auth, context => PerClient(context, auth));
                limiter.OnRejected = RejectAsync;
            });
        return services;
    }

    /// <summary>The client address as the forwarded-headers middleware left it (proxies are trusted only when configured).</summary>
    private static RateLimitPartition<string> PerClient(HttpContext context, int permitsPerMinute) =>
        RateLimitPartition.GetFixedWindowLimiter(
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = permitsPerMinute,
                Window = Window,
                QueueLimit = 0,
                AutoReplenishment = true,
            });

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var http = rejected.HttpContext;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : (int)Window.TotalSeconds;
        http.RequestServices.GetRequiredService<RateLimitRejections>().Add(http, seconds);

        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await http.WriteProblemAsync(new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = "Too many requests",
            Detail = $"Too many requests; retry after {seconds} seconds.",
            Type = "https://tools.ietf.org/html/rfc6585#section-4",
        }).ConfigureAwait(false);
    }

}
