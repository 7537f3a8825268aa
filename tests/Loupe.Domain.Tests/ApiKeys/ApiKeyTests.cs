using Loupe.Domain.ApiKeys;
using Loupe.Domain.Common;
using Loupe.Domain.Organizations;

namespace Loupe.Domain.Tests.ApiKeys;

public sealed class ApiKeyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private const string Secret = "loupe_sk_0123456789abcdefghijklmnop";

    [Theory]
    [InlineData(Role.Viewer, Role.Editor)]
    [InlineData(Role.Viewer, Role.Admin)]
    [InlineData(Role.Editor, Role.Admin)]
    public void Create_WithARoleAboveTheCreator_IsRefused(Role creatorRole, Role role)
    {
        var refused = Should.Throw<DomainException>(() => Create(creatorRole, role));

        refused.Error.ShouldBe(ApiKeyErrors.RoleAboveCreator);
    }

    [Theory]
    [InlineData(Role.Admin, Role.Admin)]
    [InlineData(Role.Admin, Role.Viewer)]
    [InlineData(Role.Editor, Role.Editor)]
    [InlineData(Role.Editor, Role.Viewer)]
    [InlineData(Role.Viewer, Role.Viewer)]
    public void Create_WithTheCreatorsRoleOrLower_IsAccepted(Role creatorRole, Role role) =>
        Create(creatorRole, role).Role.ShouldBe(role);

    [Fact]
    public void Create_SetsEveryField_AndKeepsOnlyThePrefixOfTheSecret()
    {
        var id = Guid.CreateVersion7();
        var organizationId = Guid.CreateVersion7();
        var creator = Guid.CreateVersion7();

        var key = ApiKey.Create(id, organizationId, creator, Role.Admin, "  Nightly export  ", Role.Editor, Secret, "secret-hash", Now);

        key.Id.ShouldBe(id);
        key.OrganizationId.ShouldBe(organizationId);
        key.CreatedByUserId.ShouldBe(creator);
        key.Name.ShouldBe("Nightly export");
        key.Prefix.ShouldBe("loupe_sk_012");
        key.Prefix.Length.ShouldBe(ApiKey.VisiblePrefixLength);
        key.SecretHash.ShouldBe("secret-hash");
        key.CreatedAt.ShouldBe(Now);
        key.LastUsedAt.ShouldBeNull();
        key.RevokedAt.ShouldBeNull();
        key.IsActive.ShouldBeTrue();
    }

    [Fact]
    public void Create_WithASecretShorterThanThePrefix_KeepsAllOfIt() =>
        ApiKey.Create(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Role.Admin, "k", Role.Viewer, "short", "hash", Now)
            .Prefix.ShouldBe("short");

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Create_WithoutAName_IsRefused(string? name)
    {
        var refused = Should.Throw<DomainException>(() => Create(Role.Admin, Role.Viewer, name!));

        refused.Error.ShouldBe(ApiKeyErrors.InvalidName);
    }

    [Fact]
    public void Create_WithANameOfTheMaximumLength_IsAccepted() =>
        Create(Role.Admin, Role.Viewer, $" {new string('k', ApiKey.NameMaxLength)} ").Name.Length.ShouldBe(ApiKey.NameMaxLength);

    [Fact]
    public void Create_WithANameLongerThanTheMaximum_IsRefused() =>
        Should.Throw<DomainException>(() => Create(Role.Admin, Role.Viewer, new string('k', ApiKey.NameMaxLength + 1)))
            .Error.ShouldBe(ApiKeyErrors.InvalidName);

    [Fact]
    public void Create_WithoutASecretOrHash_IsRefused()
    {
        Should.Throw<ArgumentException>(() =>
            ApiKey.Create(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Role.Admin, "k", Role.Viewer, string.Empty, "hash", Now));
        Should.Throw<ArgumentException>(() =>
            ApiKey.Create(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Role.Admin, "k", Role.Viewer, Secret, string.Empty, Now));
    }

    [Fact]
    public void MarkUsed_TheFirstTime_RecordsTheUse()
    {
        var key = Create(Role.Admin, Role.Viewer);

        key.MarkUsed(Now).ShouldBeTrue();

        key.LastUsedAt.ShouldBe(Now);
    }

    [Fact]
    public void MarkUsed_WithinAMinuteOfTheLastWrite_WritesNothing()
    {
        var key = Create(Role.Admin, Role.Viewer);
        key.MarkUsed(Now);

        key.MarkUsed(Now.AddSeconds(59)).ShouldBeFalse();

        key.LastUsedAt.ShouldBe(Now);
    }

    [Fact]
    public void MarkUsed_AMinuteAfterTheLastWrite_WritesAgain()
    {
        var key = Create(Role.Admin, Role.Viewer);
        key.MarkUsed(Now);
        key.MarkUsed(Now.AddSeconds(30));

        key.MarkUsed(Now.AddMinutes(1)).ShouldBeTrue();

        key.LastUsedAt.ShouldBe(Now.AddMinutes(1));
    }

    [Fact]
    public void Revoke_DeactivatesTheKey()
    {
        var key = Create(Role.Admin, Role.Viewer);

        key.Revoke(Now.AddDays(1));

        key.IsActive.ShouldBeFalse();
        key.RevokedAt.ShouldBe(Now.AddDays(1));
    }

    [Fact]
    public void Revoke_Twice_KeepsTheFirstTime()
    {
        var key = Create(Role.Admin, Role.Viewer);

        key.Revoke(Now.AddDays(1)).ShouldBeTrue();
        key.Revoke(Now.AddDays(2)).ShouldBeFalse();

        key.RevokedAt.ShouldBe(Now.AddDays(1));
        key.IsActive.ShouldBeFalse();
    }

    private static ApiKey Create(Role creatorRole, Role role, string name = "Nightly export") =>
        ApiKey.Create(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), creatorRole, name, role, Secret, "secret-hash", Now);
}
