using Loupe.Domain.Common;
using Loupe.Domain.Organizations;
using Loupe.Domain.Users;

namespace Loupe.Domain.Tests.Users;

public sealed class UserRoleTests
{
    private static readonly DateTimeOffset Now = UserTestData.Now;

    [Theory]
    [InlineData(Role.Editor)]
    [InlineData(Role.Viewer)]
    public void ChangeRole_OfTheLastAdmin_IsRefused(Role demoted)
    {
        var admin = UserTestData.Register(Role.Admin);

        var refused = Should.Throw<DomainException>(() => admin.ChangeRole(demoted, adminsInOrganization: 1, Now.AddDays(1)));

        refused.Error.ShouldBe(UserErrors.LastAdmin);
        admin.Role.ShouldBe(Role.Admin);
        admin.UpdatedAt.ShouldBe(Now);
    }

    [Fact]
    public void ChangeRole_OfAnAdmin_WithAnotherAdminPresent_Demotes()
    {
        var admin = UserTestData.Register(Role.Admin);

        admin.ChangeRole(Role.Viewer, adminsInOrganization: 2, Now.AddDays(1));

        admin.Role.ShouldBe(Role.Viewer);
        admin.UpdatedAt.ShouldBe(Now.AddDays(1));
    }

    [Fact]
    public void ChangeRole_ToTheSameRole_ChangesNothing()
    {
        var admin = UserTestData.Register(Role.Admin);

        admin.ChangeRole(Role.Admin, adminsInOrganization: 1, Now.AddDays(1));

        admin.Role.ShouldBe(Role.Admin);
        admin.UpdatedAt.ShouldBe(Now);
    }

    [Fact]
    public void ChangeRole_PromotingAnEditor_NeedsNoOtherAdmin()
    {
        var editor = UserTestData.Register(Role.Editor);

        editor.ChangeRole(Role.Admin, adminsInOrganization: 0, Now.AddDays(1));

        editor.Role.ShouldBe(Role.Admin);
        editor.UpdatedAt.ShouldBe(Now.AddDays(1));
    }

    [Fact]
    public void ChangeRole_BetweenNonAdminRoles_IgnoresTheAdminCount()
    {
        var viewer = UserTestData.Register(Role.Viewer);

        viewer.ChangeRole(Role.Editor, adminsInOrganization: 1, Now);

        viewer.Role.ShouldBe(Role.Editor);
    }

    [Fact]
    public void EnsureRemovable_OfTheLastAdmin_Throws()
    {
        var admin = UserTestData.Register(Role.Admin);

        Should.Throw<DomainException>(() => admin.EnsureRemovable(adminsInOrganization: 1)).Error.ShouldBe(UserErrors.LastAdmin);
    }

    [Fact]
    public void EnsureRemovable_OfAnAdmin_WithAnotherAdminPresent_Passes() =>
        Should.NotThrow(() => UserTestData.Register(Role.Admin).EnsureRemovable(adminsInOrganization: 2));

    [Theory]
    [InlineData(Role.Editor)]
    [InlineData(Role.Viewer)]
    public void EnsureRemovable_OfANonAdmin_Passes(Role role) =>
        Should.NotThrow(() => UserTestData.Register(role).EnsureRemovable(adminsInOrganization: 1));
}
