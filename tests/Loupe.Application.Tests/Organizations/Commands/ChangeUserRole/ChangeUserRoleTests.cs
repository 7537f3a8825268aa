using Loupe.Application.Common.Exceptions;
using Loupe.Application.Organizations.Commands.ChangeUserRole;
using Loupe.Application.Tests.Common.InMemory;
using Loupe.Domain.Audit;
using Loupe.Domain.Common;
using Loupe.Domain.Organizations;
using Loupe.Domain.Users;

namespace Loupe.Application.Tests.Organizations.Commands.ChangeUserRole;

/// <summary>Changing a member's role: an organization keeps at least one admin.</summary>
public sealed class ChangeUserRoleTests : IDisposable
{
    private readonly ApplicationHarness _app = new();
    private readonly Organization _organization;
    private readonly User _admin;

    public ChangeUserRoleTests()
    {
        _organization = _app.AddOrganization();
        _admin = _app.AddUser(_organization, Role.Admin);
        _app.SignInAs(_admin);
    }

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task TheLastAdmin_CannotBeDemoted_NotEvenByThemselves()
    {
        _app.AddUser(_organization, Role.Editor);

        var refused = await Should.ThrowAsync<DomainException>(() => _app.SendAsync(new ChangeUserRoleCommand(_admin.Id, Role.Editor)));

        refused.Error.ShouldBe(UserErrors.LastAdmin);
        _admin.Role.ShouldBe(Role.Admin);
        _app.Store.Saves.ShouldBe(0);
    }

    [Fact]
    public async Task AnAdmin_MayBeDemoted_WhileAnotherAdminRemains_AndTheOrganizationRecordsTheChange()
    {
        var second = _app.AddUser(_organization, Role.Admin);
        _app.Clock.Advance(TimeSpan.FromMinutes(1));

        var answer = await _app.SendAsync(new ChangeUserRoleCommand(second.Id, Role.Viewer));

        answer.Id.ShouldBe(second.Id);
        answer.Role.ShouldBe(Role.Viewer);
        second.Role.ShouldBe(Role.Viewer);
        _organization.UpdatedAt.ShouldBe(_app.Clock.Now, "its row version then turns a concurrent change of the admins into a conflict");
        _app.Audit.Events.ShouldHaveSingleItem().ShouldBe((AuditActions.UserRoleChanged, new AuditTarget("user", second.Id), null));
        _app.Audit.Details.ShouldHaveSingleItem().ShouldBe(new Dictionary<string, string> { ["from"] = "admin", ["to"] = "viewer" });
        _app.Store.Saves.ShouldBe(1);
    }

    [Fact]
    public async Task AMemberOfAnotherOrganization_IsNotFound()
    {
        var stranger = _app.AddUser(_app.AddOrganization("Other"), Role.Viewer);

        await Should.ThrowAsync<NotFoundException>(() => _app.SendAsync(new ChangeUserRoleCommand(stranger.Id, Role.Admin)));

        stranger.Role.ShouldBe(Role.Viewer);
    }

    [Fact]
    public async Task AnEditor_MayNotChangeRoles()
    {
        var editor = _app.AddUser(_organization, Role.Editor);
        _app.SignInAs(editor);

        await Should.ThrowAsync<ForbiddenException>(() => _app.SendAsync(new ChangeUserRoleCommand(editor.Id, Role.Admin)));

        editor.Role.ShouldBe(Role.Editor);
    }
}
