using Loupe.Application.Auth.Commands.Register;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Organizations.Commands.CreateInvitation;
using Loupe.Application.Tests.Common.Behaviors;
using Loupe.Application.Tests.Common.InMemory;
using Loupe.Domain.Audit;
using Loupe.Domain.Common;
using Loupe.Domain.Invitations;
using Loupe.Domain.Organizations;
using Loupe.Domain.Sessions;
using Loupe.Domain.Users;

namespace Loupe.Application.Tests.Auth.Commands.Register;

/// <summary>Creating an account: in a new organization or an invitation's, who becomes the instance admin, and what is refused.</summary>
public sealed class RegisterTests : IDisposable
{
    private const string Password = "correct horse battery";

    private readonly ApplicationHarness _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task WithoutAnInvitation_TheAccountAdministersANewOrganization_NamedAfterThemUnlessNamed()
    {
        await _app.SendAsync(new RegisterCommand("ann@example.com", Password, "Ann"));
        await _app.SendAsync(new RegisterCommand("bob@example.com", Password, "Bob", OrganizationName: "Bob Analytics"));

        _app.Store.All<Organization>().Select(o => o.Name).ShouldBe(["Ann's team", "Bob Analytics"], ignoreOrder: true);
        _app.Store.All<User>().ShouldAllBe(u => u.Role == Role.Admin);
        _app.Store.All<User>().Select(u => u.OrganizationId).Distinct().Count().ShouldBe(2);
        _app.Store.All<Session>().Count.ShouldBe(2, "registering signs in");
    }

    [Fact]
    public async Task TheFirstAccountOfTheInstance_IsItsInstanceAdmin_AndTheNextIsNot()
    {
        await _app.SendAsync(new RegisterCommand("first@example.com", Password, "First"));
        await _app.SendAsync(new RegisterCommand("second@example.com", Password, "Second"));

        _app.Store.All<User>().Single(u => u.Email.Value == "first@example.com").IsInstanceAdmin.ShouldBeTrue();
        _app.Store.All<User>().Single(u => u.Email.Value == "second@example.com").IsInstanceAdmin.ShouldBeFalse();
    }

    [Fact]
    public async Task AnAddressWithAnAccountInAnyOrganization_IsRefused()
    {
        _app.AddUser(_app.AddOrganization("Elsewhere"), Role.Viewer, "ann@example.com");

        var refused = await Should.ThrowAsync<DomainException>(() => _app.SendAsync(new RegisterCommand("Ann@Example.com", Password, "Ann")));

        refused.Error.ShouldBe(UserErrors.EmailTaken);
        _app.Store.All<Organization>().Count.ShouldBe(1);
    }

    [Fact]
    public async Task WithAnInvitation_TheAccountJoinsItsOrganizationWithItsRole_AndAcceptsIt()
    {
        var (organization, token) = await InvitedAsync("new@example.com", Role.Editor);

        await _app.SendAsync(new RegisterCommand("new@example.com", Password, "New", InvitationToken: token));

        var joined = _app.Store.All<User>().Single(u => u.Email.Value == "new@example.com");
        joined.OrganizationId.ShouldBe(organization.Id);
        joined.Role.ShouldBe(Role.Editor);
        _app.Store.All<Invitation>().ShouldHaveSingleItem().AcceptedAt.ShouldBe(_app.Clock.Now);
        _app.Store.All<Organization>().ShouldHaveSingleItem();
        _app.Audit.Actions.ShouldContain(AuditActions.InvitationAccepted);
    }

    [Fact]
    public async Task AnInvitationForAnotherAddress_IsRefused()
    {
        var (_, token) = await InvitedAsync("new@example.com", Role.Editor);

        var refused = await Should.ThrowAsync<DomainException>(() => _app.SendAsync(new RegisterCommand("someone.else@example.com", Password, "Else", InvitationToken: token)));

        refused.Error.ShouldBe(InvitationErrors.EmailMismatch);
        _app.Store.All<User>().ShouldNotContain(u => u.Email.Value == "someone.else@example.com");
    }

    [Fact]
    public async Task AnUnknownInvitationToken_IsA400OnTheToken()
    {
        var refused = await Should.ThrowAsync<ValidationFailedException>(() => _app.SendAsync(new RegisterCommand("new@example.com", Password, "New", InvitationToken: "lp_inv_nothing")));

        refused.Errors.Keys.ShouldBe(["invitation_token"]);
        _app.Store.All<User>().ShouldBeEmpty();
    }

    [Fact]
    public async Task AnInvitationIntoAFullOrganization_IsRefused()
    {
        var (organization, token) = await InvitedAsync("new@example.com", Role.Viewer);
        _app.AddUser(organization, Role.Viewer);
        _app.Settings.MaxUsersPerOrganization = 2;

        var refused = await Should.ThrowAsync<DomainException>(() => _app.SendAsync(new RegisterCommand("new@example.com", Password, "New", InvitationToken: token)));

        refused.Error.ShouldBe(OrganizationErrors.UserQuotaReached(2));
        _app.Store.All<User>().ShouldNotContain(u => u.Email.Value == "new@example.com");
    }

    /// <summary>An organization whose admin invited <paramref name="email"/>; the invitation's token.</summary>
    private async Task<(Organization Organization, string Token)> InvitedAsync(string email, Role role)
    {
        var organization = _app.AddOrganization();
        _app.SignInAs(_app.AddUser(organization, Role.Admin));
        var created = await _app.SendAsync(new CreateInvitationCommand(email, role));
        _app.Caller = TestCaller.Anonymous;
        return (organization, created.Token);
    }
}
