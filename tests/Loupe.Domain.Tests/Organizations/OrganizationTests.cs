using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Domain.Common;
using Loupe.Domain.Organizations;

namespace Loupe.Domain.Tests.Organizations;

public sealed class OrganizationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Create_TrimsTheName_DefaultsToUtc_AndRaisesOrganizationCreated()
    {
        var id = Guid.CreateVersion7();

        var organization = Organization.Create(id, "  Acme Analytics  ", Now);

        organization.Name.ShouldBe("Acme Analytics");
        organization.TimeZone.ShouldBe("UTC");
        organization.CreatedAt.ShouldBe(Now);
        organization.UpdatedAt.ShouldBe(Now);
        organization.DomainEvents.ShouldBe([new OrganizationCreated(id, "Acme Analytics", Now)]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Create_WithoutAName_IsRefused(string name)
    {
        var refused = Should.Throw<DomainException>(() => Organization.Create(Guid.CreateVersion7(), name, Now));

        refused.Error.ShouldBe(OrganizationErrors.NameRequired);
    }

    [Fact]
    public void Create_WithAnEmptyId_IsRefused() =>
        Should.Throw<ArgumentException>(() => Organization.Create(Guid.Empty, "Acme", Now));

    [Property]
    public Property Names_UpToTheLimitAreAccepted_AndLongerOnesRefused()
    {
        var names = Gen.Choose(1, Organization.NameMaxLength * 2)
            .SelectMany(length => Gen.Elements('a', 'Z', '7', ' ', 'é', '-').ArrayOf(length))
            .Select(chars => new string(chars))
            .Where(name => name.Trim().Length > 0);

        return Prop.ForAll(names.ToArbitrary(), name =>
        {
            var trimmed = name.Trim();
            try
            {
                return Organization.Create(Guid.CreateVersion7(), name, Now).Name == trimmed && trimmed.Length <= Organization.NameMaxLength;
            }
            catch (DomainException refused)
            {
                return refused.Error == OrganizationErrors.NameTooLong && trimmed.Length > Organization.NameMaxLength;
            }
        });
    }

    [Fact]
    public void Create_WithAnUnknownTimeZone_IsRefusedNamingIt()
    {
        var refused = Should.Throw<DomainException>(() => Organization.Create(Guid.CreateVersion7(), "Acme", Now, "Mars/Olympus"));

        refused.Error.Code.ShouldBe("organization.unknown_time_zone");
        refused.Error.Field.ShouldBe("time_zone");
        refused.Message.ShouldContain("Mars/Olympus");
    }

    [Fact]
    public void ChangeTimeZone_ToAnIanaZone_MovesUpdatedAt()
    {
        var organization = Organization.Create(Guid.CreateVersion7(), "Acme", Now);

        organization.ChangeTimeZone("Europe/Paris", Now.AddHours(1));

        organization.TimeZone.ShouldBe("Europe/Paris");
        organization.UpdatedAt.ShouldBe(Now.AddHours(1));
    }

    [Fact]
    public void Rename_ToTheSameName_ChangesNothing()
    {
        var organization = Organization.Create(Guid.CreateVersion7(), "Acme", Now);

        organization.Rename(" Acme ", Now.AddDays(1));

        organization.UpdatedAt.ShouldBe(Now);
    }

    [Fact]
    public void Rename_ToAnInvalidName_LeavesTheOrganizationAsItWas()
    {
        var organization = Organization.Create(Guid.CreateVersion7(), "Acme", Now);

        Should.Throw<DomainException>(() => organization.Rename(new string('x', Organization.NameMaxLength + 1), Now.AddDays(1)));

        organization.Name.ShouldBe("Acme");
        organization.UpdatedAt.ShouldBe(Now);
    }

    [Fact]
    public void DequeueDomainEvents_HandsEachEventOverOnce()
    {
        var organization = Organization.Create(Guid.CreateVersion7(), "Acme", Now);

        organization.DequeueDomainEvents().Count.ShouldBe(1);
        organization.DequeueDomainEvents().ShouldBeEmpty();
    }

    [Fact]
    public void Entities_AreEqualByTypeAndId()
    {
        var id = Guid.CreateVersion7();

        Organization.Create(id, "One", Now).ShouldBe(Organization.Create(id, "Two", Now));
        Organization.Create(id, "One", Now).ShouldNotBe(Organization.Create(Guid.CreateVersion7(), "One", Now));
    }
}
