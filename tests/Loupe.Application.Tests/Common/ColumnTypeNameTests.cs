using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Application.Common.Connectors;

namespace Loupe.Application.Tests.Common;

/// <summary>A column type has one spelling: PostgreSQL's <c>format_type</c>, whichever connector reported it.</summary>
public sealed class ColumnTypeNameTests
{
    [Theory]
    [InlineData("numeric(12, 2)", "numeric(12,2)")]
    [InlineData("numeric(12,2)", "numeric(12,2)")]
    [InlineData("numeric(12, 2)[]", "numeric(12,2)[]")]
    [InlineData("timestamp(3) with time zone", "timestamp(3) with time zone")]
    [InlineData("character varying(5)", "character varying(5)")]
    [InlineData("DECIMAL(10,  5)", "DECIMAL(10,5)")]
    [InlineData("text", "text")]
    public void ATypeName_IsSpelledAsPostgreSqlSpellsIt(string reported, string canonical) =>
        ColumnTypeName.Canonical(reported).ShouldBe(canonical);

    [Property(MaxTest = 300)]
    public Property AnyTypeName_KeepsItsOtherCharacters_AndSpellingItAgainChangesNothing()
    {
        var names = Gen.Elements("numeric", "(", ")", ",", " ", ", ", "12", "a", "[]", "with time zone").ArrayOf().Select(pieces => string.Concat(pieces));

        return Prop.ForAll(names.ToArbitrary(), name =>
        {
            var canonical = ColumnTypeName.Canonical(name);
            return ColumnTypeName.Canonical(canonical) == canonical
                && canonical.Replace(" ", string.Empty, StringComparison.Ordinal) == name.Replace(" ", string.Empty, StringComparison.Ordinal);
        });
    }
}
