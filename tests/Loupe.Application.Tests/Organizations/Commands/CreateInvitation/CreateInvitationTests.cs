using Loupe.Application.Organizations.Commands.CreateInvitation;
using Loupe.Application.Tests.Common.InMemory;
using Loupe.Domain.Common;
using Loupe.Domain.Invitations;
using Loupe.Domain.Organizations;
using Loupe.Domain.Users;

namespace Loupe.Application.Tests.Organizations.Commands.CreateInvitation;

/// <summary>Inviting someone: who may not be invited twice, and the member quota counting pending invitations.</summary>
public sealed class CreateInvitationTests : IDisposable
{
    private readonly ApplicationHarness _app = new();
    private readonly Organization _organization;
    private readonly User _admin;

    public CreateInvitationTests()
    {
        _organization = _app.AddOrganization();
        _admin = _app.AddUser(_organization, Role.Admin, "admin@example.com");
        _app.SignInAs(_admin);
    }

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task AnInvitation_IsStoredWithTheTokensHashOnly_AndMailedWithItsLink()
    {
        var created = await _app.SendAsync(new CreateInvitationCommand("New.Person@Example.com", Role.Editor));

        var invitation = _app.Store.All<Invitation>().ShouldHaveSingleItem();
        invitation.Email.Value.ShouldBe("new.person@example.com");
        invitation.Role.ShouldBe(Role.Editor);
        invitation.InvitedByUserId.ShouldBe(_admin.Id);
        invitation.TokenHash.ShouldBe(_app.Tokens.HashOf(created.Token));
        invitation.ExpiresAt.ShouldBe(_app.Clock.Now.AddDays(7));
        created.AcceptUrl.ShouldBe(new Uri($"https://loupe.example/register?invitation_token={Uri.EscapeDataString(created.Token)}"));
        var mail = _app.Mail.Sent.ShouldHaveSingleItem();
        mail.To.ShouldBe("new.person@example.com");
        mail.TextBody.ShouldContain(created.AcceptUrl.ToString());
        mail.TextBody.ShouldContain("editor");
    }

    [Fact]
    public async Task AnAddressThatIsAlreadyAMember_IsRefused()
    {
        var refused = await Should.ThrowAsync<DomainException>(() => _app.SendAsync(new CreateInvitationCommand("ADMIN@example.com", Role.Viewer)));

        refused.Error.ShouldBe(UserErrors.EmailTaken);
        NothingInvited();
    }

    [Fact]
    public async Task AMemberOfAnotherOrganization_MayBeInvited_WithoutTellingThatTheyHaveAnAccount()
    {
        _app.AddUser(_app.AddOrganization("Other"), Role.Viewer, "elsewhere@example.com");

        await _app.SendAsync(new CreateInvitationCommand("elsewhere@example.com", Role.Viewer));

        _app.Store.All<Invitation>().ShouldHaveSingleItem().OrganizationId.ShouldBe(_organization.Id);
    }

    [Fact]
    public async Task AnAddressWithAPendingInvitation_IsRefused_UntilItExpires()
    {
        await _app.SendAsync(new CreateInvitationCommand("twice@example.com", Role.Viewer));

        var refused = await Should.ThrowAsync<DomainException>(() => _app.SendAsync(new CreateInvitationCommand("twice@example.com", Role.Editor)));
        refused.Error.ShouldBe(InvitationErrors.AlreadyPending);

        _app.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1));
        await _app.SendAsync(new CreateInvitationCommand("twice@example.com", Role.Editor));
        _app.Store.All<Invitation>().Count.ShouldBe(2);
    }

    [Fact]
    public async Task TheQuota_CountsMembersAndPendingInvitations()
    {
        _app.Settings.MaxUsersPerOrganization = 3;
        _app.AddUser(_organization, Role.Viewer);
        await _app.SendAsync(new CreateInvitationCommand("third@example.com", Role.Viewer));

        var refused = await Should.ThrowAsync<DomainException>(() => _app.SendAsync(new CreateInvitationCommand("fourth@example.com", Role.Viewer)));

        refused.Error.ShouldBe(OrganizationErrors.UserQuotaReached(3));
        _app.Store.All<Invitation>().ShouldHaveSingleItem().Email.Value.ShouldBe("third@example.com");
    }

    [Fact]
    public async Task AnExpiredInvitation_NoLongerCountsTowardsTheQuota()
    {
        _app.Settings.MaxUsersPerOrganization = 2;
        await _app.SendAsync(new CreateInvitationCommand("first@example.com", Role.Viewer));
        _app.Clock.Advance(TimeSpan.FromDays(8));

        await _app.SendAsync(new CreateInvitationCommand("second@example.com", Role.Viewer));

        _app.Store.All<Invitation>().Count.ShouldBe(2);
    }

    private void NothingInvited()
    {
        _app.Store.All<Invitation>().ShouldBeEmpty();
        _app.Mail.Sent.ShouldBeEmpty();
    }
}
