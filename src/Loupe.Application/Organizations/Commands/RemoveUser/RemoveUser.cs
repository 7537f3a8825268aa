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

internal sealed class RemoveUserCommandHandler(
    ITenantScope tenant, IRepository<Organization> organizations, IRepository<User> users, IAuditTrail audit, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<RemoveUserCommand, Unit>
{
    public async Task<Unit> Handle(RemoveUserCommand request, CancellationToken cancellationToken)
    {
        var organization = await OrganizationAsync(cancellationToken).ConfigureAwait(false);
        var user = await users.FindAsync(request.UserId, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("User", request.UserId);
        user.EnsureRemovable(await users.CountAsync(new UsersWithRole(Role.Admin), cancellationToken).ConfigureAwait(false));
        users.Remove(user);
        organization.RecordMembershipChange(clock.GetUtcNow());
        audit.Record(AuditActions.UserRemoved, new AuditTarget("user", user.Id));
        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Unit.Value;
    }

    /// <summary>
    /// Loaded before the admins are counted: its row version then predates the count, so a concurrent
    /// change that commits in between makes this save fail with 409 instead of leaving no admin.
    /// </summary>
    private async Task<Organization> OrganizationAsync(CancellationToken cancellationToken) =>
        await organizations.FindAsync(tenant.OrganizationId ?? Guid.Empty, cancellationToken).ConfigureAwait(false)
        ?? throw new NotFoundException("Organization", tenant.OrganizationId ?? Guid.Empty);
}
