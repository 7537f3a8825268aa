using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Domain.Common;
using Loupe.Domain.Organizations;

namespace Loupe.Domain.Tests.Organizations;

/// <summary>One seat rule: members and pending invitations take a seat each; accepting moves an invitation's seat to its member.</summary>
public sealed class MemberQuotaTests
{
    [Fact]
    public void AnInvitation_IsRefusedWhenMembersAndPendingInvitationsTakeEverySeat()
    {
        MemberQuota.EnsureRoomToInvite(members: 1, pendingInvitations: 0, limit: 2);

        var refused = Should.Throw<DomainException>(() => MemberQuota.EnsureRoomToInvite(members: 1, pendingInvitations: 1, limit: 2));
        refused.Error.ShouldBe(OrganizationErrors.UserQuotaReached(2));
        refused.Error.Kind.ShouldBe(DomainErrorKind.Conflict);
    }

    [Fact]
    public void AcceptingAnInvitation_UsesTheSeatItHeld()
    {
        // Two seats: the admin and the invitation being accepted.
        MemberQuota.EnsureRoomToAccept(members: 1, pendingInvitations: 1, limit: 2);
    }

    [Fact]
    public void AcceptingIntoAnOrganizationOverItsLimit_IsRefused() =>
        Should.Throw<DomainException>(() => MemberQuota.EnsureRoomToAccept(members: 2, pendingInvitations: 1, limit: 2))
            .Error.Code.ShouldBe("organization.user_quota_reached");

    [Property]
    public Property WhatIsAllowed_NeverTakesTheOrganizationOverItsLimit() =>
        Prop.ForAll(
            Gen.Choose(0, 20).ToArbitrary(),
            Gen.Choose(0, 20).ToArbitrary(),
            Gen.Choose(1, 30).ToArbitrary(),
            (members, pending, limit) =>
            {
                var mayInvite = Allowed(() => MemberQuota.EnsureRoomToInvite(members, pending, limit));
                var mayAccept = Allowed(() => MemberQuota.EnsureRoomToAccept(members, pending, limit));

                // Inviting adds a seat; accepting keeps the seats as they are (an invitation becomes a member).
                return mayInvite == (members + pending + 1 <= limit)
                    && mayAccept == (members + pending <= limit)
                    && (!mayInvite || mayAccept);
            });

    private static bool Allowed(Action check)
    {
        try
        {
            check();
            return true;
        }
        catch (DomainException refused) when (refused.Error.Code == "organization.user_quota_reached")
        {
            return false;
        }
    }
}
