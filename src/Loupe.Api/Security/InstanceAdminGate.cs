using Loupe.Infrastructure.Security.Tokens;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Loupe.Api.Security;

/// <summary>
/// Endpoints only instance admins may know of (the jobs admin API, ADR 0069): anyone else — anonymous,
/// an organization's admin, an API key — is answered exactly as an address where nothing exists
/// (404, <c>not_found</c>), before the request is bound or validated, so that no answer tells such a
/// caller the endpoint is there.
/// </summary>
internal static class InstanceAdminGate
{
    private static readonly AuthorizationPolicy Policy = new AuthorizationPolicyBuilder()
        .RequireAssertion(context => context.User.Identity?.IsAuthenticated == true
            && string.Equals(context.User.FindFirst(AccessTokenClaimNames.InstanceAdmin)?.Value, "true", StringComparison.OrdinalIgnoreCase))
        .Build();

    /// <summary>Only instance admins reach the endpoints; everyone else gets the 404 of an unknown address.</summary>
    public static TBuilder ForInstanceAdminsOnly<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(Policy).WithMetadata(HiddenFromOthers.Instance);

    /// <summary>Marks an endpoint whose refusal is a 404.</summary>
    internal sealed class HiddenFromOthers
    {
        public static readonly HiddenFromOthers Instance = new();
    }
}

/// <summary>Answers a refused caller of an <see cref="InstanceAdminGate"/> endpoint with 404; any other refusal as usual.</summary>
internal sealed class InstanceAdminGateResults : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (!authorizeResult.Succeeded && context.GetEndpoint()?.Metadata.GetMetadata<InstanceAdminGate.HiddenFromOthers>() is not null)
        {
            // An empty 404: the status-code pages write the same problem as for an unknown address.
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
