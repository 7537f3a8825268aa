using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Domain.Common;
using Loupe.Domain.Users;

namespace Loupe.Domain.Tests.Users;

public sealed class PasswordPolicyTests
{
    private static readonly EmailAddress Email = EmailAddress.Parse("jane.doe@example.com");

    [Fact]
    public void Check_OfSevenCharacters_IsTooShort() =>
        PasswordPolicy.Check(new string('p', 7), Email).ShouldBe(UserErrors.PasswordTooShort);

    [Fact]
    public void Check_OfEightCharacters_Passes() =>
        PasswordPolicy.Check(new string('p', 8), Email).ShouldBeNull();

    [Fact]
    public void Check_Of128Characters_Passes() =>
        PasswordPolicy.Check(new string('p', 128), Email).ShouldBeNull();

    [Fact]
    public void Check_Of129Characters_IsTooLong() =>
        PasswordPolicy.Check(new string('p', 129), Email).ShouldBe(UserErrors.PasswordTooLong);

    [Fact]
    public void Check_OfNull_IsTooShort() =>
        PasswordPolicy.Check(null, Email).ShouldBe(UserErrors.PasswordTooShort);

    [Theory]
    [InlineData("jane.doe@example.com")]
    [InlineData("JANE.DOE@EXAMPLE.COM")]
    [InlineData("Jane.Doe@Example.com")]
    [InlineData("  jane.doe@example.com  ")]
    [InlineData("\tJane.Doe@example.com ")]
    public void Check_OfTheEmailAddress_InAnyCaseOrPadding_IsRefused(string password) =>
        PasswordPolicy.Check(password, Email).ShouldBe(UserErrors.PasswordIsEmail);

    [Fact]
    public void Check_OfTheEmailAddressWithExtraCharacters_Passes() =>
        PasswordPolicy.Check("jane.doe@example.com1", Email).ShouldBeNull();

    [Fact]
    public void Check_WithoutAnEmail_OnlyLooksAtTheLength() =>
        PasswordPolicy.Check("jane.doe@example.com", null).ShouldBeNull();

    [Fact]
    public void Enforce_OfABadPassword_ThrowsTheError()
    {
        var refused = Should.Throw<DomainException>(() => PasswordPolicy.Enforce("short", Email));

        refused.Error.ShouldBe(UserErrors.PasswordTooShort);
    }

    [Fact]
    public void Enforce_OfAGoodPassword_DoesNotThrow() =>
        Should.NotThrow(() => PasswordPolicy.Enforce("correct horse battery staple", Email));

    [Property]
    public Property Check_OfAnyLength_FollowsTheLengthRule()
    {
        var passwords = Gen.Choose(0, 200)
            .SelectMany(length => Gen.Elements('a', 'Z', '9', ' ', '!', 'é', '@', '.').ArrayOf(length))
            .Select(chars => new string(chars));

        return Prop.ForAll(passwords.ToArbitrary(), password =>
        {
            var expected = password.Length < PasswordPolicy.MinLength ? UserErrors.PasswordTooShort
                : password.Length > PasswordPolicy.MaxLength ? UserErrors.PasswordTooLong
                : null;
            return PasswordPolicy.Check(password, Email) == expected;
        });
    }
}
