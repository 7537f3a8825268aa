using FluentValidation;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Sessions;
using Loupe.Domain.Users;
using MediatR;

namespace Loupe.Application.Auth.Commands.Refresh;

/// <summary>
/// Trades the current refresh token for a new pair. An already-used one ends its whole session,
/// unless it was rotated within <c>Auth:RefreshReuseGraceSeconds</c> and its successor is still
/// unused: then the same successor is issued again.
/// </summary>
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
    IRefreshTokenSuccessors successors,
    IInstanceSettings settings,
    IAuditTrail audit,
    SignIn signIn,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<RefreshCommand, AuthTokens>
{
    private const string Invalid = "The refresh token is invalid, expired or revoked. Sign in again.";

    public async Task<AuthTokens> Handle(RefreshCommand request, CancellationToken cancellationToken)
    {
        var token = request.RefreshToken!.Trim();
        var presented = opaqueTokens.HashOf(token);

        // The successor is derived from the presented token: a second presenter (another tab
        // refreshing at the same moment) is answered with the very same token.
        var next = successors.SuccessorOf(SignIn.RefreshTokenPrefix, token);
        // Another request may rotate the same token between our read and our write (its save meets
        // ours as a concurrent change, or as the same successor already stored): then the session is
        // read again, where the token is now the one rotated moments ago.
        return await unitOfWork.RetryOnConcurrentChangeAsync(() => RefreshAsync(presented, next, cancellationToken), maxTries: 2, orDuplicate: true).ConfigureAwait(false);
    }

    private async Task<AuthTokens> RefreshAsync(string presented, OpaqueToken next, CancellationToken cancellationToken)
    {
        var located = await locator.SessionByRefreshTokenHashAsync(presented, cancellationToken).ConfigureAwait(false)
            ?? throw new UnauthenticatedException(Invalid);
        tenant.Enter(located.OrganizationId);
        var session = await sessions.FindAsync(located.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new UnauthenticatedException(Invalid);
        var user = await users.FindAsync(session.UserId, cancellationToken).ConfigureAwait(false)
            ?? throw new UnauthenticatedException(Invalid);

        switch (session.Refresh(presented, next.Hash, clock.GetUtcNow(), settings.RefreshReuseGrace))
        {
            case RefreshOutcome.Rotated:
                await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                return signIn.Issue(user, session.Id, next.Value);
            case RefreshOutcome.RotatedMomentsAgo:
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
