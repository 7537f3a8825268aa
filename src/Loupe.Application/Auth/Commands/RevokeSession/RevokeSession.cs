using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Sessions;
using MediatR;

namespace Loupe.Application.Auth.Commands.RevokeSession;

/// <summary>Signs one of the caller's own sessions out (a lost laptop, an old browser).</summary>
[Authorize(SignedInOnly = true)]
public sealed record RevokeSessionCommand(Guid Id) : IRequest<Unit>;

internal sealed class RevokeSessionCommandHandler(
    ICurrentUser currentUser,
    IRepository<Session> sessions,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<RevokeSessionCommand, Unit>
{
    public async Task<Unit> Handle(RevokeSessionCommand request, CancellationToken cancellationToken)
    {
        var session = await sessions.FindAsync(request.Id, cancellationToken).ConfigureAwait(false);
        if (session is null || session.UserId != currentUser.UserId)
        {
            throw new NotFoundException("Session", request.Id);
        }

        // Revoking a revoked session answers the same and records nothing more.
        if (session.Revoke("revoked_by_user", clock.GetUtcNow()))
        {
            audit.Record(AuditActions.SessionRevoked, new AuditTarget("session", session.Id));
        }

        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Unit.Value;
    }
}
