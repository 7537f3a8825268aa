using Loupe.Domain.Queries.Parameters;

namespace Loupe.Domain.Tests.Queries.Parameters;

public sealed class SqlPlaceholdersTests
{
    [Theory]
    [InlineData("SELECT {{x}}")]
    [InlineData("SELECT {{ x }}")]
    [InlineData("SELECT {{\tx\n}}")]
    [InlineData("SELECT {{   x}}")]
    public void Find_ReadsAPlaceholder_WithOrWithoutWhitespaceInsideTheBraces(string sql)
    {
        var scan = SqlPlaceholders.Find(sql);

        scan.Errors.ShouldBeEmpty();
        var placeholder = scan.Placeholders.ShouldHaveSingleItem();
        placeholder.Name.ShouldBe("x");
        placeholder.Part.ShouldBe(PlaceholderPart.Whole);
        placeholder.Position.ShouldBe(7);
        sql.Substring(placeholder.Position, placeholder.Length).ShouldStartWith("{{");
        sql.Substring(placeholder.Position, placeholder.Length).ShouldEndWith("}}");
    }

    [Fact]
    public void Find_ReadsTheStartAndEndOfARange_AndKeepsTheCaseOfNames()
    {
        var scan = SqlPlaceholders.Find("SELECT * FROM t WHERE d >= {{ Period.start }} AND d < {{Period.end}} AND x = {{_x9}}");

        scan.Errors.ShouldBeEmpty();
        scan.Placeholders.Select(p => p.Key).ShouldBe(["Period.start", "Period.end", "_x9"]);
        scan.Placeholders.Select(p => p.Part).ShouldBe([PlaceholderPart.Start, PlaceholderPart.End, PlaceholderPart.Whole]);
    }

    [Theory]
    [InlineData("SELECT '{{ x }}'")]
    [InlineData("SELECT E'\\'{{ x }}'")]
    [InlineData("SELECT $$ {{ x }} $$")]
    [InlineData("SELECT $tag${{ x }}$tag$")]
    [InlineData("SELECT \"{{ x }}\" FROM t")]
    [InlineData("SELECT 1 -- {{ x }}")]
    [InlineData("SELECT 1 /* {{ x }} /* nested {{ y }} */ still {{ z }} */")]
    [InlineData("SELECT U&'{{ x }}'")]
    public void Find_IgnoresBracesInsideCommentsStringsAndQuotedIdentifiers(string sql)
    {
        var scan = SqlPlaceholders.Find(sql);

        scan.Errors.ShouldBeEmpty();
        scan.Placeholders.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("SELECT {{ }}")]
    [InlineData("SELECT {{ 1x }}")]
    [InlineData("SELECT {{ a b }}")]
    [InlineData("SELECT {{ a.middle }}")]
    [InlineData("SELECT {{ a.START }}")]
    [InlineData("SELECT {{ a /* c */ }}")]
    [InlineData("SELECT {{ a")]
    [InlineData("SELECT {{ a {{ b }}")]
    [InlineData("SELECT {{ 'x' }}")]
    [InlineData("SELECT {{ é }}")]
    public void Find_RefusesAMalformedPlaceholder_NamingWhereItIs(string sql)
    {
        var scan = SqlPlaceholders.Find(sql);

        var error = scan.Errors.ShouldHaveSingleItem();
        error.Code.ShouldBe("parameter.placeholder_malformed");
        error.Field.ShouldBe("sql");
        error.Message.ShouldContain("at position 7 (line 1, column 8)");
    }

    [Fact]
    public void Find_RefusesANameLongerThan64Characters()
    {
        SqlPlaceholders.Find($"SELECT {{{{ {new string('a', 64)} }}}}").Errors.ShouldBeEmpty();
        SqlPlaceholders.Find($"SELECT {{{{ {new string('a', 65)} }}}}").Errors.ShouldHaveSingleItem().Code.ShouldBe("parameter.placeholder_malformed");
    }

    [Fact]
    public void Find_RefusesPositionalParameters_OnceWithTheFirstPosition()
    {
        var scan = SqlPlaceholders.Find("SELECT $1,\n $2");

        var error = scan.Errors.ShouldHaveSingleItem();
        error.Code.ShouldBe(ParameterErrors.PositionalParameter.Code);
        error.Message.ShouldContain("`$1` at position 7 (line 1, column 8)");
    }

    [Fact]
    public void Find_OnAnUnterminatedString_ReportsWhatTheSafetyCheckReports()
    {
        var scan = SqlPlaceholders.Find("SELECT {{ x }}, 'open");

        scan.Tokenized.ShouldBeFalse();
        scan.Placeholders.ShouldBeEmpty();
        scan.Errors.ShouldHaveSingleItem().Code.ShouldBe("sql.unterminated_string");
    }

    [Fact]
    public void Find_LeavesLoneBracesAlone()
    {
        var scan = SqlPlaceholders.Find("SELECT { x } }} {");

        scan.Errors.ShouldBeEmpty();
        scan.Placeholders.ShouldBeEmpty();
    }
}
