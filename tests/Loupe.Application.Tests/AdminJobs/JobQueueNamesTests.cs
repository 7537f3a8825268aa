using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Application.AdminJobs;
using Loupe.Application.Common.Jobs;
using Loupe.Domain.Common;

namespace Loupe.Application.Tests.AdminJobs;

/// <summary>A queue name an admin pauses or resumes is one the engine could have been configured with, or a named 400.</summary>
public sealed class JobQueueNamesTests
{
    private const string Allowed = "abcdefghijklmnopqrstuvwxyz0123456789.-_";

    [Property(MaxTest = 300)]
    public Property ANameOfAllowedCharacters_UpToItsLength_IsAQueueName()
    {
        var names = Gen.Elements(Allowed.ToCharArray()).ArrayOf().Where(c => c.Length is > 0 and <= JobQueueNames.MaxLength).Select(c => new string(c));
        return Prop.ForAll(names.ToArbitrary(), name => JobQueueNames.IsValid(name) && AdminJobActions.QueueName(name) == name);
    }

    [Property(MaxTest = 300)]
    public Property ANameWithAnyOtherCharacter_IsRefusedWithItsCode(NonEmptyString text)
    {
        var name = text.Get;
        var other = name.Any(c => !Allowed.Contains(c, StringComparison.Ordinal));
        return (!other || (!JobQueueNames.IsValid(name) && Refused(name))).ToProperty();
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("Reports")]
    [InlineData("a b")]
    public void NoNameOrAnUpperCaseOrSpacedOne_IsRefused(string? name) =>
        Refused(name).ShouldBeTrue();

    [Fact]
    public void ANameLongerThan64Characters_IsRefused()
    {
        JobQueueNames.IsValid(new string('q', 64)).ShouldBeTrue();
        Refused(new string('q', 65)).ShouldBeTrue();
    }

    private static bool Refused(string? name)
    {
        var refused = Should.Throw<DomainException>(() => AdminJobActions.QueueName(name));
        return refused.Error.Code == "job.invalid_queue";
    }
}
