using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Organizations;
using Loupe.Domain.Users;
using MediatR;

namespace Loupe.Application.Organizations.Commands.RemoveUser;

/// <summary>Removes a member with their sessions and API keys. The last admin cannot be removed (409).</summary>
[Authorize(MinimumRole = Role.Admin, SignedInOnly = true)]
public sealed record RemoveUserCommand(Guid UserId) : IRequest<Unit>;

internal sealed class RemoveUserCommandHandler(
    MembershipChange membership, IRepository<User> users, IAuditTrail audit, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<RemoveUserCommand, Unit>
{
    public async Task<Unit> Handle(RemoveUserCommand request, CancellationToken cancellationToken)
    {
        var (organization, user, admins) = await membership.BeginAsync(request.UserId, cancellationToken).ConfigureAwait(false);
        user.EnsureRemovable(admins);
        users.Remove(user);
        organization.RecordMembershipChange(clock.GetUtcNow());
        audit.Record(
            AuditActions.UserRemoved,
            new AuditTarget("user", user.Id),
            details: new Dictionary<string, string>(StringComparer.Ordinal) { [AuditDetails.Role] = AuditDetails.NameOf(user.Role) });
        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Unit.Value;
    }
}
