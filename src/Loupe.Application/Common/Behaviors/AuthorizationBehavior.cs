using System.Reflection;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Security;
using Loupe.Domain.ApiKeys;
using Loupe.Domain.Common;
using MediatR;

namespace Loupe.Application.Common.Behaviors;

/// <summary>
/// Enforces the <see cref="AuthorizeAttribute"/> declared on the request type, before validation,
/// so an unauthorized caller learns nothing about what a valid request would look like.
/// </summary>
internal sealed class AuthorizationBehavior<TRequest, TResponse>(ICurrentUser currentUser)
    : IPipelineBehavior<TRequest, TResponse>
{
    private static readonly AuthorizeAttribute? Requirement = typeof(TRequest).GetCustomAttribute<AuthorizeAttribute>();
    private static readonly bool Anonymous = typeof(TRequest).GetCustomAttribute<AllowAnonymousAttribute>() is not null;

    public Task<TResponse> Handle(
        TRequest request,
        CancellationToken cancellationToken,
        RequestHandlerDelegate<TResponse> next)
    {
        if (Anonymous)
        {
            return next();
        }

        // A request that declares nothing is refused: forgetting the attribute must not open a door.
        var requirement = Requirement ?? throw new ForbiddenException(
            $"{typeof(TRequest).Name} declares no authorization requirement.");

        if (!currentUser.IsAuthenticated)
        {
            throw new UnauthenticatedException();
        }

        if (requirement.SignedInOnly && currentUser.ApiKeyId is not null)
        {
            throw new DomainException(ApiKeyErrors.NotAllowed);
        }

        if (requirement.InstanceAdminOnly)
        {
            if (!currentUser.IsInstanceAdmin)
            {
                throw new ForbiddenException("Only instance administrators may do this.");
            }

            return next();
        }

        if (currentUser.OrganizationId is null || currentUser.Role is not { } role || role < requirement.MinimumRole)
        {
            throw new ForbiddenException();
        }

        return next();
    }
}
