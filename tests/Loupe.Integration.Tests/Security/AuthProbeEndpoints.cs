using Loupe.Api;
using Loupe.Api.RateLimiting;
using Loupe.Api.Security;
using Loupe.Application.Common.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Loupe.Integration.Tests.Security;

/// <summary>Endpoints for the authentication and rate limit tests only.</summary>
internal sealed class AuthProbeEndpoints : IEndpointModule
{
    public void MapEndpoints(IEndpointRouteBuilder api)
    {
        var probe = api.MapGroup("/_probe");
        probe.MapGet("/me", (ICurrentUser user) => Results.Ok(new
        {
            user.IsAuthenticated,
            user.UserId,
            user.OrganizationId,
            Role = user.Role?.ToString().ToLowerInvariant(),
            user.IsInstanceAdmin,
            ((HttpCurrentUser)user).SessionId,
        })).RequireAuthorization();
        probe.MapGet("/admins", () => Results.NoContent()).RequireAuthorization(policy => policy.RequireRole("admin"));
        probe.MapGet("/ping", () => Results.NoContent());
        probe.MapGet("/auth-limited", () => Results.NoContent()).RequireRateLimiting(RateLimitPolicies.Auth);
    }
}
