using Loupe.Domain.Common;

namespace Loupe.Domain.Organizations;

/// <summary>
/// An organization has at most a set number of seats (<c>Quotas:MaxUsersPerOrganization</c>): a
/// member takes one, and so does a pending invitation, which keeps its seat for the person invited. An
/// invitation is refused when every seat is taken; accepting one moves its seat to the new member, so it
/// is refused only when the organization is already over its limit (the limit was lowered since), and
/// it is then <see cref="OrganizationErrors.UserQuotaReached"/> for both.
/// </summary>
public static class MemberQuota
{
    /// <summary>Throws <see cref="OrganizationErrors.UserQuotaReached"/> unless one more seat fits beside <paramref name="members"/> and <paramref name="pendingInvitations"/>.</summary>
    public static void EnsureRoomToInvite(int members, int pendingInvitations, int limit) =>
        EnsureRoom(members, pendingInvitations, limit, seatsAdded: 1);

    /// <summary>
    /// Throws <see cref="OrganizationErrors.UserQuotaReached"/> unless an invitation's seat can become a
    /// member's: <paramref name="pendingInvitations"/> counts the invitation being accepted.
    /// </summary>
    public static void EnsureRoomToAccept(int members, int pendingInvitations, int limit)
        => EnsureRoom(members, pendingInvitations, limit, seatsAdded: 0);

    private static void EnsureRoom(int members, int pendingInvitations, int limit, int seatsAdded)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(members);
        ArgumentOutOfRangeException.ThrowIfNegative(pendingInvitations);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if ((long)members + pendingInvitations + seatsAdded > limit)
        {
            throw new DomainException(OrganizationErrors.UserQuotaReached(limit));
        }
    }
}
