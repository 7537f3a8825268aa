using System.Text.Json;
using System.Text.Json.Serialization;
using Loupe.Api.Http;
using Loupe.Api.JobsDashboard;
using Loupe.Api.OpenApi;
using Loupe.Api.Problems;
using Loupe.Api.RateLimiting;
using Loupe.Api.Security;
using Loupe.Api.Telemetry;
using Loupe.Application.Common.Security;

namespace Loupe.Api;

/// <summary>The HTTP host's own services: wire format, problems, OpenAPI, authentication, rate limits, telemetry, the current user.</summary>
internal static class ApiServices
{
    /// <summary>Default limit on request bodies (1 MiB; see docs/limits.md); configurable as <c>Api:MaxRequestBodyBytes</c>.</summary>
    public const long DefaultMaxRequestBodyBytes = 1024 * 1024;

    public static IServiceCollection AddApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.ConfigureHttpJsonOptions(options => ConfigureJson(options.SerializerOptions));
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddLoupeProblemDetails();
        services.AddHttpContextAccessor();
        services.AddScoped<ICurrentUser, HttpCurrentUser>();
        services.AddScoped<IRequestOrigin, HttpRequestOrigin>();
        services.AddSingleton<Application.Common.Results.IWireJson, WireJson>();
        services.AddLoupeForwardedHeaders(configuration);
        services.AddLoupeCors(configuration);
        services.AddLoupeAuthentication(configuration);
        services.AddLoupeRateLimits(configuration);
        ResultCompression.AddLoupeResultCompression(services);
        services.AddApiTelemetry(configuration);
        foreach (var module in typeof(ApiServices).Assembly.GetTypes()
                     .Where(t => t is { IsClass: true, IsAbstract: false } && t.IsAssignableTo(typeof(IEndpointModule))))
        {
            services.AddSingleton(typeof(IEndpointModule), module);
        }

        services.AddLoupeOpenApi();
        services.AddJobsDashboard();
        return services;
    }

    /// <summary>
    /// The wire format of docs/api-conventions.md: snake_case names, enums as snake_case strings, UTC timestamps,
    /// unknown fields refused, numbers as JSON numbers only (not "5": the OpenAPI document then types an
    /// integer as integer, not integer-or-string).
    /// </summary>
    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.Converters.Add(new UtcTimestampConverter());
    }
}
