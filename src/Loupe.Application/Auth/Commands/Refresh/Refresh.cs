using FluentValidation;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Sessions;
using Loupe.Domain.Users;
using MediatR;

namespace Loupe.Application.Auth.Commands.Refresh;

/// <summary>Trades the current refresh token for a new pair. An already-used one ends its whole session.</summary>
[AllowAnonymous]
public sealed record RefreshCommand(string? RefreshToken) : IRequest<AuthTokens>;

internal sealed class RefreshCommandValidator : AbstractValidator<RefreshCommand>
{
    public RefreshCommandValidator() => RuleFor(c => c.RefreshToken).NotEmpty().MaximumLength(200);
}

internal sealed class RefreshCommandHandler(
    ICredentialLocator locator,
    ITenantScope tenant,
    IRepository<Session> sessions,
    IRepository<User> users,
    IOpaqueTokens opaqueTokens,
    IAuditTrail audit,
    SignIn signIn,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<RefreshCommand, AuthTokens>
{
    private const string Invalid = "The refresh token is invalid, expired or revoked. Sign in again.";

    public async Task<AuthTokens> Handle(RefreshCommand request, CancellationToken cancellationToken)
    {
        var presented = opaqueTokens.HashOf(request.RefreshToken!.Trim());
        var located = await locator.SessionByRefreshTokenHashAsync(presented, cancellationToken).ConfigureAwait(false)
            ?? throw new UnauthenticatedException(Invalid);
        tenant.Enter(located.OrganizationId);
        var session = await sessions.FindAsync(located.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new UnauthenticatedException(Invalid);
        var user = await users.FindAsync(session.UserId, cancellationToken).ConfigureAwait(false)
            ?? throw new UnauthenticatedException(Invalid);

        var next = opaqueTokens.Create(SignIn.RefreshTokenPrefix);
        switch (session.Refresh(presented, next.Hash, clock.GetUtcNow()))
        {
            case RefreshOutcome.Rotated:
                await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                return signIn.Issue(user, session.Id, next.Value);
            case RefreshOutcome.ReuseDetected:
                audit.Record(AuditActions.RefreshTokenReused, new AuditTarget("session", session.Id), user.Id);
                await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                throw new UnauthenticatedException(Invalid);
            default:
                throw new UnauthenticatedException(Invalid);
        }
    }
}
