using Loupe.Application.Auth;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Organizations;
using Loupe.Domain.Users;

namespace Loupe.Application.Organizations;

/// <summary>
/// The start of a change to the organization's members: loads the member and the organization,
/// then counts the admins. The organization is loaded first, so its row version predates the count;
/// <see cref="Organization.RecordMembershipChange"/> then makes a concurrent change that committed in
/// between fail the save with 409 instead of leaving the organization without an admin.
/// </summary>
internal sealed class MembershipChange(ITenantScope tenant, IRepository<Organization> organizations, IRepository<User> users)
{
    public async Task<(Organization Organization, User Member, int Admins)> BeginAsync(Guid userId, CancellationToken cancellationToken)
    {
        var organization = await organizations.FindAsync(tenant.RequiredOrganizationId(), cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Organization", tenant.RequiredOrganizationId());
        var member = await users.FindAsync(userId, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("User", userId);
        var admins = await users.CountAsync(new UsersWithRole(Role.Admin), cancellationToken).ConfigureAwait(false);
        return (organization, member, admins);
    }
}
