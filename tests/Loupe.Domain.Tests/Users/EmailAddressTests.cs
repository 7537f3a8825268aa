using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Domain.Common;
using Loupe.Domain.Users;

namespace Loupe.Domain.Tests.Users;

public sealed class EmailAddressTests
{
    [Fact]
    public void Parse_TrimsAndLowerCases()
    {
        var email = EmailAddress.Parse("  Jane.Doe@Example.COM \t");

        email.Value.ShouldBe("jane.doe@example.com");
        email.ToString().ShouldBe("jane.doe@example.com");
    }

    [Fact]
    public void Parse_OfTheSameMailboxInAnyCase_GivesEqualAddresses() =>
        EmailAddress.Parse("JANE@example.com").ShouldBe(EmailAddress.Parse("jane@EXAMPLE.com"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Parse_OfNothing_IsRefused(string? text)
    {
        var refused = Should.Throw<DomainException>(() => EmailAddress.Parse(text));

        refused.Error.ShouldBe(UserErrors.InvalidEmail);
    }

    [Fact]
    public void Parse_OfAnAddressOfExactlyTheMaximumLength_IsAccepted()
    {
        var text = LongAddress(EmailAddress.MaxLength);

        EmailAddress.Parse(text).Value.Length.ShouldBe(EmailAddress.MaxLength);
    }

    [Fact]
    public void Parse_OfAnAddressLongerThanTheMaximum_IsRefused()
    {
        var text = LongAddress(EmailAddress.MaxLength + 1);

        Should.Throw<DomainException>(() => EmailAddress.Parse(text)).Error.ShouldBe(UserErrors.InvalidEmail);
    }

    [Fact]
    public void Parse_OfALocalPartOf64Characters_IsAccepted_But65AreRefused()
    {
        EmailAddress.TryParse($"{new string('a', 64)}@example.com", out _).ShouldBeTrue();
        EmailAddress.TryParse($"{new string('a', 65)}@example.com", out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("jane.example.com")]
    [InlineData("jane@localhost")]
    [InlineData("jane..doe@example.com")]
    [InlineData("jane@example..com")]
    [InlineData(".jane@example.com")]
    [InlineData("jane.@example.com")]
    [InlineData("jane@-example.com")]
    [InlineData("jane@example-.com")]
    [InlineData("jane@mail.-example.com")]
    [InlineData("jane@example.com-")]
    [InlineData("jane doe@example.com")]
    [InlineData("jane@exa mple.com")]
    [InlineData("jane@@example.com")]
    [InlineData("jane@doe@example.com")]
    [InlineData("@example.com")]
    [InlineData("jane@")]
    [InlineData("jane@.example.com")]
    [InlineData("jane@example.com.")]
    [InlineData("jané@example.com")]
    [InlineData("jane@exämple.com")]
    [InlineData("jane@example.com\nx")]
    public void Parse_OfAMalformedAddress_IsRefused(string text)
    {
        var refused = Should.Throw<DomainException>(() => EmailAddress.Parse(text));

        refused.Error.ShouldBe(UserErrors.InvalidEmail);
    }

    [Fact]
    public void Parse_OfADomainLabelLongerThan63Characters_IsRefused()
    {
        EmailAddress.TryParse($"jane@{new string('a', 63)}.com", out _).ShouldBeTrue();
        EmailAddress.TryParse($"jane@{new string('a', 64)}.com", out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("jane+reports@example.com")]
    [InlineData("jane@mail.eu.example.co.uk")]
    [InlineData("jane.doe@my-company.example")]
    [InlineData("o'brien@example.com")]
    [InlineData("j@e.io")]
    public void Parse_OfAWellFormedAddress_KeepsIt(string text) =>
        EmailAddress.Parse(text).Value.ShouldBe(text);

    [Fact]
    public void TryParse_OfAMalformedAddress_ReturnsFalse()
    {
        EmailAddress.TryParse("not an address", out _).ShouldBeFalse();
    }

    [Fact]
    public void TryParse_OfAWellFormedAddress_ReturnsTheNormalizedAddress()
    {
        EmailAddress.TryParse(" Jane@Example.com ", out var email).ShouldBeTrue();

        email.Value.ShouldBe("jane@example.com");
    }

    [Theory]
    [InlineData("jane.doe@example.com", "j***@example.com")]
    [InlineData("J@Sub.Example.com", "j***@sub.example.com")]
    [InlineData("a+b@example.com", "a***@example.com")]
    public void Masked_KeepsTheFirstCharacterAndTheDomain(string text, string masked) =>
        EmailAddress.Parse(text).Masked().ShouldBe(masked);

    [Fact]
    public void Masked_HidesTheRestOfTheLocalPart() =>
        EmailAddress.Parse("secretname@example.com").Masked().ShouldNotContain("secret");

    [Property]
    public Property Parse_IsIdempotent()
    {
        return Prop.ForAll(Candidates().ToArbitrary(), text =>
        {
            if (!EmailAddress.TryParse(text, out var first))
            {
                return true;
            }

            return EmailAddress.Parse(first.Value) == first && EmailAddress.Parse(first.ToString()).Value == first.Value;
        });
    }

    [Property]
    public Property AcceptedAddresses_HaveNoUpperCase_AndNoSurroundingWhitespace()
    {
        return Prop.ForAll(Candidates().ToArbitrary(), text =>
            !EmailAddress.TryParse(text, out var email)
            || (!email.Value.Any(char.IsUpper)
                && email.Value == email.Value.Trim()
                && email.Value.Length <= EmailAddress.MaxLength
                && email.Value == Normalized(text)));
    }

    [Property]
    public Property WellFormedAddresses_InAnyCaseWithSurroundingWhitespace_AreAccepted()
    {
        return Prop.ForAll(WellFormed().ToArbitrary(), text => EmailAddress.TryParse(text, out var email) && email.Value == Normalized(text));
    }

    [Property]
    public Property Parse_OfAnyString_ThrowsNothingButDomainException()
    {
        return Prop.ForAll(Candidates().ToArbitrary(), text =>
        {
            try
            {
                var email = EmailAddress.Parse(text);
                return EmailAddress.TryParse(text, out var again) && again == email;
            }
            catch (DomainException refused)
            {
                return refused.Error == UserErrors.InvalidEmail && !EmailAddress.TryParse(text, out _);
            }
        });
    }

    [Property]
    public Property TryParse_OfAnyString_NeverThrows()
    {
        return Prop.ForAll(ArbMap.Default.ArbFor<string>(), text =>
        {
            var accepted = EmailAddress.TryParse(text, out var email);
            return !accepted || email is not null;
        });
    }

    private static string Normalized(string text) => text.Trim().ToLowerInvariant();

    private static string LongAddress(int length)
    {
        const string suffix = "@example.com";
        var domainLabels = new List<string>();
        var remaining = length - 1 - suffix.Length;
        while (remaining > 0)
        {
            var label = Math.Min(remaining - 1, 60);
            domainLabels.Add(new string('d', Math.Max(label, 1)));
            remaining -= Math.Max(label, 1) + 1;
        }

        var address = $"j@{string.Join('.', domainLabels)}.example.com";
        address.Length.ShouldBe(length);
        return address;
    }

    private static Gen<string> WellFormed()
    {
        var letters = Gen.Elements("a", "B", "z", "Q", "0", "9", "+", "_", "-", "'");
        var atom = letters.ArrayOf().Where(parts => parts.Length is > 0 and < 8).Select(string.Concat);
        var label = Gen.Elements("a", "B", "7", "-").ArrayOf().Where(parts => parts.Length is > 0 and < 8)
            .Select(string.Concat)
            .Where(text => !text.StartsWith('-') && !text.EndsWith('-'));
        var local = atom.ArrayOf().Where(atoms => atoms.Length is > 0 and < 4).Select(atoms => string.Join('.', atoms));
        var domain = label.ArrayOf().Where(labels => labels.Length is > 1 and < 5).Select(labels => string.Join('.', labels));
        var padding = Gen.Elements(string.Empty, " ", "\t", "  \n");
        return Gen.Zip(Gen.Zip(padding, local), Gen.Zip(domain, padding))
            .Select(parts => $"{parts.Item1.Item1}{parts.Item1.Item2}@{parts.Item2.Item1}{parts.Item2.Item2}");
    }

    private static Gen<string> Candidates()
    {
        var nasty = Gen.Elements('a', 'Z', 'k', '\u212A', '\u0130', '0', '.', '.', '@', '@', '-', '+', ' ', '\t', '\n', '\0', 'é', '\uD83D', '"', '\\')
            .ArrayOf()
            .Select(chars => new string(chars));
        var mutated = Gen.Zip(Gen.Zip(WellFormed(), Gen.Elements(string.Empty, ".", "-", " ", "@", "..", "É", "\u212A")), Gen.Choose(0, 40))
            .Select(parts =>
            {
                var ((text, insert), at) = parts;
                return text.Insert(Math.Min(at, text.Length), insert);
            });
        var huge = Gen.Choose(240, 300).Select(length => new string('a', length - 12) + "@example.com");
        return Gen.OneOf(WellFormed(), nasty, mutated, huge, ArbMap.Default.ArbFor<string>().Generator);
    }
}
