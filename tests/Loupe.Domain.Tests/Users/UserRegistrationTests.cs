using Loupe.Domain.Common;
using Loupe.Domain.Organizations;
using Loupe.Domain.Users;

namespace Loupe.Domain.Tests.Users;

public sealed class UserRegistrationTests
{
    private static readonly DateTimeOffset Now = UserTestData.Now;

    [Fact]
    public void Register_SetsEveryField_AndRaisesUserRegistered()
    {
        var id = Guid.CreateVersion7();
        var organizationId = Guid.CreateVersion7();
        var email = EmailAddress.Parse("jane@example.com");

        var user = User.Register(id, organizationId, email, "Jane Doe", "hash", Role.Admin, isInstanceAdmin: true, Now);

        user.Id.ShouldBe(id);
        user.OrganizationId.ShouldBe(organizationId);
        user.Email.ShouldBe(email);
        user.Name.ShouldBe("Jane Doe");
        user.PasswordHash.ShouldBe("hash");
        user.Role.ShouldBe(Role.Admin);
        user.IsInstanceAdmin.ShouldBeTrue();
        user.CreatedAt.ShouldBe(Now);
        user.UpdatedAt.ShouldBe(Now);
        user.FailedLoginCount.ShouldBe(0);
        user.RecentFailedLogins.ShouldBeEmpty();
        user.LockedUntil.ShouldBeNull();
        user.LastLoginAt.ShouldBeNull();
        user.DomainEvents.ShouldBe([new UserRegistered(id, organizationId, Role.Admin, Now)]);
    }

    [Fact]
    public void Register_TrimsTheName() =>
        UserTestData.Register(name: "  Jane Doe \t").Name.ShouldBe("Jane Doe");

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Register_WithoutAName_IsRefused(string? name)
    {
        var refused = Should.Throw<DomainException>(() => UserTestData.Register(name: name!));

        refused.Error.ShouldBe(UserErrors.NameRequired);
    }

    [Fact]
    public void Register_WithANameOfTheMaximumLength_IsAccepted() =>
        UserTestData.Register(name: $" {new string('n', User.NameMaxLength)} ").Name.Length.ShouldBe(User.NameMaxLength);

    [Fact]
    public void Register_WithANameLongerThanTheMaximum_IsRefused()
    {
        var refused = Should.Throw<DomainException>(() => UserTestData.Register(name: new string('n', User.NameMaxLength + 1)));

        refused.Error.ShouldBe(UserErrors.NameTooLong);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void Register_WithoutAPasswordHash_IsRefused(string? hash) =>
        Should.Throw<ArgumentException>(() =>
            User.Register(Guid.CreateVersion7(), Guid.CreateVersion7(), EmailAddress.Parse("jane@example.com"), "Jane", hash!, Role.Viewer, false, Now));

    [Fact]
    public void Register_WithoutAnEmail_IsRefused() =>
        Should.Throw<ArgumentNullException>(() =>
            User.Register(Guid.CreateVersion7(), Guid.CreateVersion7(), null!, "Jane", "hash", Role.Viewer, false, Now));

    [Fact]
    public void Rename_TrimsTheName_AndMovesUpdatedAt()
    {
        var user = UserTestData.Register();

        user.Rename("  Janet  ", Now.AddHours(1));

        user.Name.ShouldBe("Janet");
        user.UpdatedAt.ShouldBe(Now.AddHours(1));
    }

    [Fact]
    public void Rename_ToAnInvalidName_LeavesTheUserAsItWas()
    {
        var user = UserTestData.Register();

        Should.Throw<DomainException>(() => user.Rename(new string('n', User.NameMaxLength + 1), Now.AddHours(1)))
            .Error.ShouldBe(UserErrors.NameTooLong);

        user.Name.ShouldBe("Jane Doe");
        user.UpdatedAt.ShouldBe(Now);
    }

    [Fact]
    public void ChangePasswordHash_ReplacesTheHash_AndMovesUpdatedAt()
    {
        var user = UserTestData.Register();

        user.ChangePasswordHash("new-hash", Now.AddDays(1));

        user.PasswordHash.ShouldBe("new-hash");
        user.UpdatedAt.ShouldBe(Now.AddDays(1));
    }

    [Fact]
    public void ChangePasswordHash_ToNothing_IsRefused()
    {
        var user = UserTestData.Register();

        Should.Throw<ArgumentException>(() => user.ChangePasswordHash(string.Empty, Now));

        user.PasswordHash.ShouldNotBeEmpty();
    }
}
