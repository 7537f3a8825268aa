using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Sessions;
using MediatR;

namespace Loupe.Application.Auth.Commands.Logout;

/// <summary>Ends the caller's current session: its refresh token stops working.</summary>
[Authorize(SignedInOnly = true)]
public sealed record LogoutCommand : IRequest<Unit>;

internal sealed class LogoutCommandHandler(
    ICurrentUser currentUser,
    IRepository<Session> sessions,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<LogoutCommand, Unit>
{
    public async Task<Unit> Handle(LogoutCommand request, CancellationToken cancellationToken)
    {
        if (currentUser.SessionId is { } sessionId
            && await sessions.FindAsync(sessionId, cancellationToken).ConfigureAwait(false) is { } session
            && session.UserId == currentUser.UserId)
        {
            session.Revoke("logout", clock.GetUtcNow());
            audit.Record(AuditActions.LoggedOut, new AuditTarget("session", session.Id));
            await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        return Unit.Value;
    }
}
