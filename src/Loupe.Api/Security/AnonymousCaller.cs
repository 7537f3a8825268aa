namespace Loupe.Api.Security;

/// <summary>
/// Endpoint metadata of the account-entry endpoints (register, login, refresh, forgot and reset
/// password): whoever calls them is nobody yet. On them the credentials a request carries are not
/// read at all: the bearer handler and the API key handler give no result (so a stale or garbage
/// token an SPA still sends cannot block signing in), and the current user and the request origin
/// report no one (so the handler enters the organization it learns from the credential in the body,
/// never the caller's).
/// </summary>
internal sealed class AnonymousCaller
{
    private static readonly AnonymousCaller Instance = new();

    private AnonymousCaller()
    {
    }

    public static TBuilder Mark<TBuilder>(TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(Instance);

    /// <summary>Whether the request was routed to an endpoint that takes anonymous callers only.</summary>
    public static bool IsOn(HttpContext? context) =>
        context?.GetEndpoint()?.Metadata.GetMetadata<AnonymousCaller>() is not null;
}

internal static class AnonymousCallerExtensions
{
    /// <summary>Marks the endpoints of <paramref name="builder"/> as <see cref="AnonymousCaller"/> endpoints.</summary>
    public static TBuilder ForAnonymousCallers<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        AnonymousCaller.Mark(builder);
}
