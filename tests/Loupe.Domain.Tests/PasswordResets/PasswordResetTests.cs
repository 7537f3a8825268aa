using Loupe.Domain.Common;
using Loupe.Domain.PasswordResets;

namespace Loupe.Domain.Tests.PasswordResets;

public sealed class PasswordResetTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Issue_SetsEveryField_AndExpiresInThirtyMinutes()
    {
        var id = Guid.CreateVersion7();
        var organizationId = Guid.CreateVersion7();
        var userId = Guid.CreateVersion7();

        var reset = PasswordReset.Issue(id, organizationId, userId, "token-hash", Now);

        reset.Id.ShouldBe(id);
        reset.OrganizationId.ShouldBe(organizationId);
        reset.UserId.ShouldBe(userId);
        reset.TokenHash.ShouldBe("token-hash");
        reset.CreatedAt.ShouldBe(Now);
        reset.ExpiresAt.ShouldBe(Now.AddMinutes(30));
        reset.UsedAt.ShouldBeNull();
    }

    [Fact]
    public void Issue_WithoutATokenHash_IsRefused() =>
        Should.Throw<ArgumentException>(() => PasswordReset.Issue(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), string.Empty, Now));

    [Fact]
    public void Use_WithinThirtyMinutes_SpendsTheToken()
    {
        var reset = Issued();

        reset.Use(Now.AddMinutes(30).AddTicks(-1));

        reset.UsedAt.ShouldBe(Now.AddMinutes(30).AddTicks(-1));
    }

    [Fact]
    public void Use_ASecondTime_IsRefused_AndKeepsTheFirstUse()
    {
        var reset = Issued();
        reset.Use(Now.AddMinutes(1));

        var refused = Should.Throw<DomainException>(() => reset.Use(Now.AddMinutes(2)));

        refused.Error.ShouldBe(PasswordResetErrors.InvalidOrExpired);
        reset.UsedAt.ShouldBe(Now.AddMinutes(1));
    }

    [Theory]
    [InlineData(30)]
    [InlineData(31)]
    [InlineData(24 * 60)]
    public void Use_AfterExpiry_IsRefused(int minutes)
    {
        var reset = Issued();

        var refused = Should.Throw<DomainException>(() => reset.Use(Now.AddMinutes(minutes)));

        refused.Error.ShouldBe(PasswordResetErrors.InvalidOrExpired);
        reset.UsedAt.ShouldBeNull();
    }

    private static PasswordReset Issued() =>
        PasswordReset.Issue(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), "token-hash", Now);
}
