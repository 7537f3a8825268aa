using Loupe.Domain.Common;
using Loupe.Domain.Invitations;
using Loupe.Domain.Organizations;
using Loupe.Domain.Users;

namespace Loupe.Domain.Tests.Invitations;

public sealed class InvitationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly EmailAddress Invited = EmailAddress.Parse("new.hire@example.com");

    [Fact]
    public void Create_SetsEveryField_AndExpiresInSevenDays()
    {
        var id = Guid.CreateVersion7();
        var organizationId = Guid.CreateVersion7();
        var invitedBy = Guid.CreateVersion7();

        var invitation = Invitation.Create(id, organizationId, Invited, Role.Editor, "token-hash", invitedBy, Now);

        invitation.Id.ShouldBe(id);
        invitation.OrganizationId.ShouldBe(organizationId);
        invitation.Email.ShouldBe(Invited);
        invitation.Role.ShouldBe(Role.Editor);
        invitation.TokenHash.ShouldBe("token-hash");
        invitation.InvitedByUserId.ShouldBe(invitedBy);
        invitation.CreatedAt.ShouldBe(Now);
        invitation.ExpiresAt.ShouldBe(Now.AddDays(7));
        invitation.AcceptedAt.ShouldBeNull();
        invitation.RevokedAt.ShouldBeNull();
        invitation.StatusAt(Now).ShouldBe(InvitationStatus.Pending);
    }

    [Fact]
    public void Create_WithoutATokenHash_IsRefused() =>
        Should.Throw<ArgumentException>(() =>
            Invitation.Create(Guid.CreateVersion7(), Guid.CreateVersion7(), Invited, Role.Viewer, string.Empty, Guid.CreateVersion7(), Now));

    [Fact]
    public void Accept_WithTheInvitedEmail_InAnyCase_AcceptsIt()
    {
        var invitation = Created();

        invitation.Accept(EmailAddress.Parse("  New.Hire@EXAMPLE.com "), Now.AddDays(1));

        invitation.AcceptedAt.ShouldBe(Now.AddDays(1));
        invitation.StatusAt(Now.AddDays(1)).ShouldBe(InvitationStatus.Accepted);
    }

    [Fact]
    public void Accept_WithAnotherEmail_IsRefused()
    {
        var invitation = Created();

        var refused = Should.Throw<DomainException>(() => invitation.Accept(EmailAddress.Parse("someone.else@example.com"), Now.AddDays(1)));

        refused.Error.ShouldBe(InvitationErrors.EmailMismatch);
        invitation.AcceptedAt.ShouldBeNull();
        invitation.StatusAt(Now.AddDays(1)).ShouldBe(InvitationStatus.Pending);
    }

    [Fact]
    public void Accept_JustBeforeExpiry_AcceptsIt()
    {
        var invitation = Created();

        invitation.Accept(Invited, Now.AddDays(7).AddTicks(-1));

        invitation.AcceptedAt.ShouldNotBeNull();
    }

    [Fact]
    public void Accept_OnceExpired_IsRefused()
    {
        var invitation = Created();

        var refused = Should.Throw<DomainException>(() => invitation.Accept(Invited, Now.AddDays(7)));

        refused.Error.ShouldBe(InvitationErrors.NotPending);
        invitation.AcceptedAt.ShouldBeNull();
    }

    [Fact]
    public void Accept_OnceRevoked_IsRefused()
    {
        var invitation = Created();
        invitation.Revoke(Now.AddHours(1));

        Should.Throw<DomainException>(() => invitation.Accept(Invited, Now.AddHours(2))).Error.ShouldBe(InvitationErrors.NotPending);

        invitation.AcceptedAt.ShouldBeNull();
    }

    [Fact]
    public void Accept_Twice_IsRefused_AndKeepsTheFirstAcceptance()
    {
        var invitation = Created();
        invitation.Accept(Invited, Now.AddHours(1));

        Should.Throw<DomainException>(() => invitation.Accept(Invited, Now.AddHours(2))).Error.ShouldBe(InvitationErrors.NotPending);

        invitation.AcceptedAt.ShouldBe(Now.AddHours(1));
    }

    [Fact]
    public void Revoke_AfterAcceptance_IsRefused()
    {
        var invitation = Created();
        invitation.Accept(Invited, Now.AddHours(1));

        var refused = Should.Throw<DomainException>(() => invitation.Revoke(Now.AddHours(2)));

        refused.Error.ShouldBe(InvitationErrors.AlreadyAccepted);
        invitation.RevokedAt.ShouldBeNull();
    }

    [Fact]
    public void Revoke_Twice_KeepsTheFirstTime()
    {
        var invitation = Created();

        invitation.Revoke(Now.AddHours(1)).ShouldBeTrue();
        invitation.Revoke(Now.AddHours(2)).ShouldBeFalse();

        invitation.RevokedAt.ShouldBe(Now.AddHours(1));
    }

    [Fact]
    public void StatusAt_MovesFromPendingToExpiredAtExpiry()
    {
        var invitation = Created();

        invitation.StatusAt(Now.AddDays(7).AddTicks(-1)).ShouldBe(InvitationStatus.Pending);
        invitation.StatusAt(Now.AddDays(7)).ShouldBe(InvitationStatus.Expired);
    }

    [Fact]
    public void StatusAt_OfARevokedInvitation_StaysRevokedAfterExpiry()
    {
        var invitation = Created();

        invitation.Revoke(Now.AddHours(1));

        invitation.StatusAt(Now.AddHours(1)).ShouldBe(InvitationStatus.Revoked);
        invitation.StatusAt(Now.AddDays(30)).ShouldBe(InvitationStatus.Revoked);
    }

    [Fact]
    public void StatusAt_OfAnAcceptedInvitation_StaysAcceptedAfterExpiry()
    {
        var invitation = Created();

        invitation.Accept(Invited, Now.AddDays(1));

        invitation.StatusAt(Now.AddDays(30)).ShouldBe(InvitationStatus.Accepted);
    }

    private static Invitation Created() =>
        Invitation.Create(Guid.CreateVersion7(), Guid.CreateVersion7(), Invited, Role.Editor, "token-hash", Guid.CreateVersion7(), Now);

    [Fact]
    public void TheLifetime_IsTheDaysTheMailAndTheApiName() =>
        Invitation.Lifetime.ShouldBe(TimeSpan.FromDays(Invitation.LifetimeDays));
}
