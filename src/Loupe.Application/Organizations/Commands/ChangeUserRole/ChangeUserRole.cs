using FluentValidation;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Application.Organizations.Queries.ListUsers;
using Loupe.Domain.Audit;
using Loupe.Domain.Organizations;
using Mapster;
using MediatR;

namespace Loupe.Application.Organizations.Commands.ChangeUserRole;

/// <summary>
/// Gives a member another role and answers the member as it now is. The last admin cannot be
/// demoted (409). The audit event says from which role to which.
/// </summary>
[Authorize(MinimumRole = Domain.Organizations.Role.Admin, SignedInOnly = true)]
public sealed record ChangeUserRoleCommand(Guid UserId, Role? Role) : IRequest<UserDto>;

internal sealed class ChangeUserRoleCommandValidator : AbstractValidator<ChangeUserRoleCommand>
{
    public ChangeUserRoleCommandValidator() => RuleFor(c => c.Role).NotNull().IsInEnum();
}

internal sealed class ChangeUserRoleCommandHandler(
    MembershipChange membership, IAuditTrail audit, IUnitOfWork unitOfWork, TimeProvider clock, TypeAdapterConfig mapping)
    : IRequestHandler<ChangeUserRoleCommand, UserDto>
{
    public async Task<UserDto> Handle(ChangeUserRoleCommand request, CancellationToken cancellationToken)
    {
        var (organization, user, admins) = await membership.BeginAsync(request.UserId, cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var from = user.Role;
        user.ChangeRole(request.Role!.Value, admins, now);
        organization.RecordMembershipChange(now);
        audit.Record(
            AuditActions.UserRoleChanged,
            new AuditTarget("user", user.Id),
            details: AuditDetails.Change(AuditDetails.NameOf(from), AuditDetails.NameOf(user.Role)));
        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return user.Adapt<UserDto>(mapping);
    }
}
