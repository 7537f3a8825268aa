using System.Reflection;
using Loupe.Application.Common.Exceptions;
using Loupe.Domain.ApiKeys;
using Loupe.Domain.Common;

namespace Loupe.Application.Common.Security;

/// <summary>
/// The one decision of who may send a request, from the <see cref="AuthorizeAttribute"/> or
/// <see cref="AllowAnonymousAttribute"/> its type declares. The authorization behavior enforces it
/// on every request; <c>GET /me</c> asks it which permissions to list, so the two never disagree.
/// </summary>
public static class AuthorizationPolicy
{
    /// <summary>Whether <paramref name="caller"/> may send a request of type <paramref name="requestType"/>.</summary>
    public static bool Allows(Type requestType, ICurrentUser caller)
    {
        ArgumentNullException.ThrowIfNull(requestType);
        return Refusal(requestType.GetCustomAttribute<AuthorizeAttribute>(), requestType.GetCustomAttribute<AllowAnonymousAttribute>() is not null, requestType.Name, caller) is null;
    }

    /// <summary>Why the caller may not send the request (the exception to throw), or none when they may.</summary>
    internal static Exception? Refusal(AuthorizeAttribute? requirement, bool anonymous, string requestName, ICurrentUser caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (anonymous)
        {
            return null;
        }

        // A request that declares nothing is refused: forgetting the attribute must not open a door.
        if (requirement is null)
        {
            return new ForbiddenException($"{requestName} declares no authorization requirement.");
        }

        if (!caller.IsAuthenticated)
        {
            return new UnauthenticatedException { CallerUnknown = true };
        }

        if (requirement.SignedInOnly && caller.ApiKeyId is not null)
        {
            return new DomainException(ApiKeyErrors.NotAllowed);
        }

        if (requirement.InstanceAdminOnly)
        {
            return caller.IsInstanceAdmin ? null : new ForbiddenException("Only instance administrators may do this.");
        }

        return caller.OrganizationId is null || caller.Role is not { } role || role < requirement.MinimumRole
            ? new ForbiddenException()
            : null;
    }
}
