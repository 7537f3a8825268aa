using Loupe.Application.Auth;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Organizations;
using Loupe.Domain.Users;
using MediatR;

namespace Loupe.Application.Organizations.Commands.RemoveUser;

/// <summary>Removes a member with their sessions and API keys. The last admin cannot be removed (409).</summary>
[Authorize(MinimumRole = Role.Admin)]
public sealed record RemoveUserCommand(Guid UserId) : IRequest<Unit>;

internal sealed class RemoveUserCommandHandler(IRepository<User> users, IAuditTrail audit, IUnitOfWork unitOfWork)
    : IRequestHandler<RemoveUserCommand, Unit>
{
    public async Task<Unit> Handle(RemoveUserCommand request, CancellationToken cancellationToken)
    {
        var user = await users.FindAsync(request.UserId, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("User", request.UserId);
        user.EnsureRemovable(await users.CountAsync(new UsersWithRole(Role.Admin), cancellationToken).ConfigureAwait(false));
        users.Remove(user);
        audit.Record(AuditActions.UserRemoved, new AuditTarget("user", user.Id));
        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Unit.Value;
    }
}
