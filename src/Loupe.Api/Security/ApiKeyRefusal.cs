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
    public const string Code = "auth.api_key_not_allowed";

    public static RouteHandlerBuilder RefusesApiKeys(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(Marker.Instance).ProducesProblem(StatusCodes.Status403Forbidden);

    public static bool IsRefusing(IEnumerable<object> metadata) => metadata.OfType<Marker>().Any();

    /// <summary>An operation that refuses API keys documents why its 403 comes (its security lists the bearer scheme alone).</summary>
    public static Task DescribeOperationAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        if (!IsRefusing(context.Description.ActionDescriptor.EndpointMetadata))
        {
            return Task.CompletedTask;
        }

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
