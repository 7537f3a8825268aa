using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Paging;
using static Loupe.Application.Tests.Common.Paging.PagingTestSupport;

namespace Loupe.Application.Tests.Common.Paging;

public class SortWhitelistTests
{
    [Fact]
    public void Parse_WhenSortMissing_UsesDefault()
    {
        Sorts.Parse(null).ToString().ShouldBe("-updated_at");
        Sorts.Parse("  ").ToString().ShouldBe("-updated_at");
    }

    [Fact]
    public void Parse_WhenListGiven_KeepsOrderAndDirections()
    {
        var sort = Sorts.Parse("-updated_at, name");

        sort.Keys.ShouldBe([new SortKey("updated_at", Descending: true), new SortKey("name", Descending: false)]);
    }

    [Fact]
    public void Parse_WhenFieldUnknown_NamesAllowedFields()
    {
        var error = ShouldFailValidation(() => Sorts.Parse("name,colour"));

        var message = error.Errors["sort"].ShouldHaveSingleItem();
        message.ShouldContain("'colour'");
        message.ShouldContain("name, priority, created_at, updated_at");
    }

    [Theory]
    [InlineData("name,,priority")]
    [InlineData(",name")]
    [InlineData("name,")]
    [InlineData("-")]
    [InlineData("name, - ")]
    public void Parse_WhenItemEmpty_RefusesSort(string sort)
    {
        var error = ShouldFailValidation(() => Sorts.Parse(sort));

        error.Errors["sort"].ShouldHaveSingleItem().ShouldContain("empty items");
    }

    [Theory]
    [InlineData("name,name")]
    [InlineData("name,-name")]
    public void Parse_WhenFieldRepeated_RefusesDuplicate(string sort)
    {
        var error = ShouldFailValidation(() => Sorts.Parse(sort));

        error.Errors["sort"].ShouldHaveSingleItem().ShouldContain("'name' appears more than once");
    }

    [Fact]
    public void Parse_WhenSeveralItemsBad_ReportsEachUnderSort()
    {
        var error = ShouldFailValidation(() => Sorts.Parse("nope,,name,name"));

        error.Errors.Keys.ShouldBe(["sort"]);
        error.Errors["sort"].Length.ShouldBe(3);
    }

    [Fact]
    public void Parse_WhenFieldCaseDiffers_RefusesIt()
    {
        ShouldFailValidation(() => Sorts.Parse("Name"));
    }

    [Fact]
    public void Parse_WhenTooLong_RefusesWithoutEchoingIt()
    {
        var error = ShouldFailValidation(() => Sorts.Parse(new string('x', SortWhitelist<Row>.MaxSortLength + 1)));

        error.Errors["sort"].ShouldHaveSingleItem().ShouldContain("at most 500 characters");
    }

    [Property(MaxTest = 1000)]
    public Property Parse_ForArbitraryText_ThrowsOnlyValidationFailures()
    {
        var tokens = Gen.Elements("name", "-name", "priority", "-updated_at", "created_at", "-", ",", ",,", " ", "x", "名", "\0", "--name");
        var structured = Gen.ListOf(tokens).Select(parts => string.Concat(parts));
        var anyText = ArbMap.Default.GeneratorFor<string>();
        var inputs = Gen.OneOf(structured, anyText).ToArbitrary();

        return Prop.ForAll(inputs, text =>
        {
            try
            {
                Sorts.Parse(text);
            }
            catch (ValidationFailedException failure)
            {
                return failure.Errors.Keys.SequenceEqual(["sort"]) && failure.Errors["sort"].Length > 0;
            }

            return true;
        });
    }

    [Fact]
    public void Apply_WhenSortTies_BreaksTiesById()
    {
        var rows = Enumerable.Range(0, 10).Select(_ => NewRow(name: "same")).ToList();

        var sorted = Sorts.Parse("name").Apply(rows.AsQueryable()).ToList();

        sorted.Select(r => r.Id).ShouldBe(rows.Select(r => r.Id).Order());
    }

    [Fact]
    public void Apply_WhenTieBreakerIsSortedField_DoesNotAppendItAgain()
    {
        var whitelist = SortWhitelist<Row>.For().Field("id", r => r.Id).Field("name", r => r.Name).TieBreaker("id");
        var rows = Enumerable.Range(0, 5).Select(_ => NewRow()).ToList();

        var query = whitelist.Parse("-id").Apply(rows.AsQueryable());

        query.ToList().Select(r => r.Id).ShouldBe(rows.Select(r => r.Id).OrderDescending());
        query.Expression.ToString().ShouldNotContain("ThenBy");
    }

    [Fact]
    public void Apply_WhenKeysGiven_AppendsAscendingTieBreakerLast()
    {
        var expression = Sorts.Parse("-priority").Apply(Array.Empty<Row>().AsQueryable()).Expression.ToString();

        expression.ShouldContain("OrderByDescending");
        expression.ShouldEndWith("ThenBy(r => r.Id)");
    }

    [Fact]
    public void Parse_WithoutTieBreaker_IsAProgrammingError()
    {
        var whitelist = SortWhitelist<Row>.For().Field("name", r => r.Name);

        Should.Throw<InvalidOperationException>(() => whitelist.Parse("name"));
    }

    [Theory]
    [InlineData("Name")]
    [InlineData("")]
    [InlineData("a,b")]
    [InlineData("-name")]
    public void Field_WhenNameNotSnakeCase_Throws(string name)
    {
        Should.Throw<ArgumentException>(() => SortWhitelist<Row>.For().Field(name, r => r.Name));
    }

    [Fact]
    public void Field_WhenNameRepeated_Throws()
    {
        Should.Throw<ArgumentException>(() => SortWhitelist<Row>.For().Field("name", r => r.Name).Field("name", r => r.Description));
    }

    [Fact]
    public void Default_WhenFieldUnknown_Throws()
    {
        Should.Throw<ArgumentException>(() => SortWhitelist<Row>.For().Field("name", r => r.Name).Default("-updated_at"));
    }
}
