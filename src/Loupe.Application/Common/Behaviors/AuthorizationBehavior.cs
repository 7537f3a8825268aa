using System.Reflection;
using Loupe.Application.Common.Security;
using MediatR;

namespace Loupe.Application.Common.Behaviors;

/// <summary>
/// Enforces the <see cref="AuthorizeAttribute"/> declared on the request type (through
/// <see cref="AuthorizationPolicy"/>), before validation, so an unauthorized caller learns nothing
/// about what a valid request would look like.
/// </summary>
internal sealed class AuthorizationBehavior<TRequest, TResponse>(ICurrentUser currentUser)
    : IPipelineBehavior<TRequest, TResponse>
{
    private static readonly AuthorizeAttribute? Requirement = typeof(TRequest).GetCustomAttribute<AuthorizeAttribute>();
    private static readonly bool Anonymous = typeof(TRequest).GetCustomAttribute<AllowAnonymousAttribute>() is not null;

    public Task<TResponse> Handle(
        TRequest request,
        CancellationToken cancellationToken,
        RequestHandlerDelegate<TResponse> next) =>
        AuthorizationPolicy.Refusal(Requirement, Anonymous, typeof(TRequest).Name, currentUser) is { } refusal
            ? throw refusal
            : next();
}
