using Loupe.Api.Security;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Loupe.Api.OpenApi;

/// <summary>
/// The ways to authenticate, named once in the document, and on each operation the ones it accepts, so
/// that a generated client and the /docs page's Authorize button send the right header: an access token
/// (<c>Authorization: Bearer &lt;JWT&gt;</c>), or an API key, as <c>X-API-Key: lp_ak_…</c> or
/// <c>Authorization: Bearer lp_ak_…</c>. The account-entry endpoints (<see cref="AnonymousCaller"/>) list
/// none: they read no credential. Those that refuse API keys (<see cref="ApiKeyRefusal"/>) list the access
/// token alone.
/// </summary>
internal static class OperationSecurity
{
    public const string BearerScheme = "bearer";
    public const string ApiKeyScheme = "api_key";
    public const string ApiKeyBearerScheme = "api_key_bearer";

    public static Task DescribeSchemesAsync(OpenApiDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal)
        {
            [BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "An access token from /auth/login, /auth/register or /auth/refresh, as Authorization: Bearer <token>.",
            },
            [ApiKeyScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = LoupeAuthenticationSchemes.ApiKeyHeader,
                Description = $"An API key ({LoupeAuthenticationSchemes.ApiKeyPrefix}…) in the {LoupeAuthenticationSchemes.ApiKeyHeader} header; "
                    + "for data only: refused where an operation lists the bearer scheme alone.",
            },
            [ApiKeyBearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "API key",
                Description = $"The same API key ({LoupeAuthenticationSchemes.ApiKeyPrefix}…) sent as Authorization: Bearer <key>.",
            },
        };
        return Task.CompletedTask;
    }

    public static Task DescribeOperationAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (IsAnonymous(metadata))
        {
            operation.Security = null;
            return Task.CompletedTask;
        }

        var schemes = ApiKeyRefusal.IsRefusing(metadata) ? [BearerScheme] : new[] { BearerScheme, ApiKeyScheme, ApiKeyBearerScheme };
        operation.Security = [.. schemes.Select(scheme => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] })];
        return Task.CompletedTask;
    }

    public static bool IsAnonymous(IEnumerable<object> metadata) => metadata.OfType<AnonymousCaller>().Any();
}
