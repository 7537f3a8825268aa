using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Loupe.Api.Security;

/// <summary>
/// Marks, for the OpenAPI document, the endpoints whose request type is <c>[Authorize(SignedInOnly = true)]</c>:
/// they accept an access token only and answer an API key 403 <c>auth.api_key_not_allowed</c>. The
/// refusal itself happens in the authorization behavior; the API key matrix test checks that this
/// marker and the behavior agree on every endpoint.
/// </summary>
internal static class ApiKeyRefusal
{
    public const string BearerScheme = "bearer";
    public const string ApiKeyScheme = "api_key";
    public const string Code = "auth.api_key_not_allowed";

    public static RouteHandlerBuilder RefusesApiKeys(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(Marker.Instance).ProducesProblem(StatusCodes.Status403Forbidden);

    public static bool IsRefusing(IEnumerable<object> metadata) => metadata.OfType<Marker>().Any();

    /// <summary>Names the two ways to authenticate once, for every operation to refer to.</summary>
    public static Task DescribeSchemesAsync(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal)
        {
            [BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "An access token from /auth/login, /auth/register or /auth/refresh.",
            },
            [ApiKeyScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = LoupeAuthenticationSchemes.ApiKeyHeader,
                Description = "An API key (lp_ak_…), for data only: refused where an operation lists the bearer scheme alone.",
            },
        };
        return Task.CompletedTask;
    }

    /// <summary>An operation that refuses API keys requires the bearer scheme alone and documents its 403.</summary>
    public static Task DescribeOperationAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        if (!IsRefusing(context.Description.ActionDescriptor.EndpointMetadata))
        {
            return Task.CompletedTask;
        }

        operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];
        if (operation.Responses?.TryGetValue("403", out var forbidden) == true && forbidden is OpenApiResponse response)
        {
            response.Description = $"Refused: the caller's role is too low, or the caller is an API key (code {Code}); sign in to do this.";
        }

        return Task.CompletedTask;
    }

    private sealed class Marker
    {
        public static readonly Marker Instance = new();
    }
}
