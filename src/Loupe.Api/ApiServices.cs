using System.Text.Json;
using System.Text.Json.Serialization;
using Loupe.Api.Http;
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

        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Loupe API";
                document.Info.Description = "Self-hosted BI and SQL analytics. JSON in and out is snake_case; errors are RFC 7807 problem+json.";

                // The server address depends on who asked; the checked-in document must not.
                document.Servers = [];
                return ApiKeyRefusal.DescribeSchemesAsync(document);
            });
            options.AddOperationTransformer((operation, context, _) => ApiKeyRefusal.DescribeOperationAsync(operation, context));
            options.AddOperationTransformer((operation, _, _) => ProblemSchema.DescribeBadRequestAsync(operation));
            options.AddSchemaTransformer((schema, context, _) => ProblemSchema.DescribeAsync(schema, context));
        });
        return services;
    }

    /// <summary>
    /// The wire format of docs/api-conventions.md: snake_case names, enums as snake_case strings, UTC timestamps,
    /// unknown fields refused.
    /// </summary>
    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.Converters.Add(new UtcTimestampConverter());
    }
}
