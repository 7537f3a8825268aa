using Loupe.Infrastructure.Configuration;
using Microsoft.Extensions.Options;

namespace Loupe.Api.Http;

/// <summary>
/// Which web origins may call the API from a browser (a single-page app served elsewhere):
/// <c>Cors:AllowedOrigins</c>, none unless configured. Credentials are never allowed — the API reads
/// tokens and keys from headers, not cookies — and the headers a client needs are exposed to it.
/// </summary>
internal static class CorsSetup
{
    /// <summary>Response headers a browser script may read: caching, created resources, back-off, tracing, rate limits.</summary>
    public static readonly string[] ExposedHeaders =
    [
        "ETag",
        "Location",
        "Retry-After",
        RequestIdMiddleware.HeaderName,
        "Content-Disposition",
        "RateLimit",
        "RateLimit-Policy",
        "RateLimit-Limit",
        "RateLimit-Remaining",
        "RateLimit-Reset",
    ];

    /// <summary>Methods the API's endpoints answer.</summary>
    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    /// <summary>How long a browser may keep a preflight's answer.</summary>
    private static readonly TimeSpan PreflightMaxAge = TimeSpan.FromMinutes(10);

    public static IServiceCollection AddLoupeCors(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CorsSettings>()
            .Configure(options => configuration.GetSection(CorsSettings.Section).Bind(options))
            .ValidateProblems(options => options.Problems());
        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>()
            .Configure<IOptions<CorsSettings>>((cors, settings) => cors.AddDefaultPolicy(policy => policy
                .WithOrigins([.. settings.Value.Origins()])
                .WithMethods(Methods)
                .AllowAnyHeader()
                .WithExposedHeaders(ExposedHeaders)
                .SetPreflightMaxAge(PreflightMaxAge)));
        return services;
    }
}

/// <summary>Bound from <c>Cors</c> and checked at start-up.</summary>
internal sealed class CorsSettings
{
    public const string Section = "Cors";

    /// <summary>Origins (<c>scheme://host[:port]</c>) whose pages may call the API; none by default.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>The origins as a browser sends them: no trailing slash, lower case.</summary>
    internal IEnumerable<string> Origins() =>
        AllowedOrigins.Where(o => !string.IsNullOrWhiteSpace(o)).Select(o => o.Trim().TrimEnd('/').ToLowerInvariant());

    internal IEnumerable<string> Problems()
    {
        foreach (var origin in Origins())
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")
                || url.AbsolutePath != "/" || !string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.UserInfo) || origin.Contains('*', StringComparison.Ordinal))
            {
                yield return $"Cors:AllowedOrigins holds '{origin}', which is not an origin: give scheme, host and port only, like https://bi.example.com.";
            }
        }
    }
}
