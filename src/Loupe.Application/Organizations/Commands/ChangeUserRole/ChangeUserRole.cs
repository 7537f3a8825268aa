using FluentValidation;
using Loupe.Application.Auth;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Organizations;
using Loupe.Domain.Users;
using MediatR;

namespace Loupe.Application.Organizations.Commands.ChangeUserRole;

/// <summary>Gives a member another role. The last admin cannot be demoted (409).</summary>
[Authorize(MinimumRole = Domain.Organizations.Role.Admin)]
public sealed record ChangeUserRoleCommand(Guid UserId, Role? Role) : IRequest<Unit>;

internal sealed class ChangeUserRoleCommandValidator : AbstractValidator<ChangeUserRoleCommand>
{
    public ChangeUserRoleCommandValidator() => RuleFor(c => c.Role).NotNull().IsInEnum();
}

internal sealed class ChangeUserRoleCommandHandler(
    ITenantScope tenant, IRepository<Organization> organizations, IRepository<User> users, IAuditTrail audit, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<ChangeUserRoleCommand, Unit>
{
    public async Task<Unit> Handle(ChangeUserRoleCommand request, CancellationToken cancellationToken)
    {
        var organization = await OrganizationAsync(cancellationToken).ConfigureAwait(false);
        var user = await users.FindAsync(request.UserId, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("User", request.UserId);
        var admins = await users.CountAsync(new UsersWithRole(Role.Admin), cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        user.ChangeRole(request.Role!.Value, admins, now);
        organization.RecordMembershipChange(now);
        audit.Record(AuditActions.UserRoleChanged, new AuditTarget("user", user.Id));
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
