using FluentValidation;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Organizations;
using MediatR;

namespace Loupe.Application.Organizations.Commands.ChangeUserRole;

/// <summary>Gives a member another role. The last admin cannot be demoted (409).</summary>
[Authorize(MinimumRole = Domain.Organizations.Role.Admin, SignedInOnly = true)]
public sealed record ChangeUserRoleCommand(Guid UserId, Role? Role) : IRequest<Unit>;

internal sealed class ChangeUserRoleCommandValidator : AbstractValidator<ChangeUserRoleCommand>
{
    public ChangeUserRoleCommandValidator() => RuleFor(c => c.Role).NotNull().IsInEnum();
}

internal sealed class ChangeUserRoleCommandHandler(MembershipChange membership, IAuditTrail audit, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<ChangeUserRoleCommand, Unit>
{
    public async Task<Unit> Handle(ChangeUserRoleCommand request, CancellationToken cancellationToken)
    {
        var (organization, user, admins) = await membership.BeginAsync(request.UserId, cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        user.ChangeRole(request.Role!.Value, admins, now);
        organization.RecordMembershipChange(now);
        audit.Record(AuditActions.UserRoleChanged, new AuditTarget("user", user.Id));
        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Unit.Value;
    }
}
