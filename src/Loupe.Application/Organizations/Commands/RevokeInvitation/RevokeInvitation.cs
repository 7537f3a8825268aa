using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Invitations;
using Loupe.Domain.Organizations;
using MediatR;

namespace Loupe.Application.Organizations.Commands.RevokeInvitation;

[Authorize(MinimumRole = Role.Admin, SignedInOnly = true)]
public sealed record RevokeInvitationCommand(Guid Id) : IRequest<Unit>;

internal sealed class RevokeInvitationCommandHandler(IRepository<Invitation> invitations, IAuditTrail audit, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<RevokeInvitationCommand, Unit>
{
    public async Task<Unit> Handle(RevokeInvitationCommand request, CancellationToken cancellationToken)
    {
        var invitation = await invitations.FindAsync(request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Invitation", request.Id);
        // Revoking a revoked invitation answers the same and records nothing more.
        if (invitation.Revoke(clock.GetUtcNow()))
        {
            audit.Record(AuditActions.InvitationRevoked, new AuditTarget("invitation", invitation.Id));
        }

        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Unit.Value;
    }
}
