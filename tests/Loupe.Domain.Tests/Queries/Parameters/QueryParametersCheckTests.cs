using Loupe.Domain.Queries.Parameters;
using Loupe.Domain.Queries.Safety;

namespace Loupe.Domain.Tests.Queries.Parameters;

public sealed class QueryParametersCheckTests
{
    private static readonly ParameterDefinition Country = ParameterDefinition.Create("country", ParameterType.Text);
    private static readonly ParameterDefinition Period = ParameterDefinition.Create("period", ParameterType.DateRange);

    [Fact]
    public void Check_AcceptsPlaceholdersThatAllHaveDefinitions_AndDefinitionsThatAreAllUsed() =>
        QueryParameters.Check(
                "SELECT * FROM orders WHERE country = {{ country }} AND day BETWEEN {{ period.start }} AND {{ period.end }} OR country = {{country}}",
                [Country, Period])
            .ShouldBeEmpty();

    [Fact]
    public void Check_NamesAnUnknownPlaceholder_AndWhereItIs()
    {
        var errors = QueryParameters.Check("SELECT 1\nWHERE a = {{ region }} OR b = {{ region }}", []);

        var error = errors.ShouldHaveSingleItem();
        error.Code.ShouldBe("parameter.placeholder_unknown");
        error.Field.ShouldBe("sql");
        error.Message.ShouldContain("{{ region }}");
        error.Message.ShouldContain("at position 19 (line 2, column 11)");
    }

    [Fact]
    public void Check_NamesADefinitionTheSqlNeverUses()
    {
        var errors = QueryParameters.Check("SELECT {{ country }}", [Country, ParameterDefinition.Create("limit", ParameterType.Number)]);

        var error = errors.ShouldHaveSingleItem();
        error.Code.ShouldBe("parameter.never_used");
        error.Field.ShouldBe("parameters[1].name");
        error.Message.ShouldContain("'limit'");
    }

    [Fact]
    public void Check_MatchesNamesWithTheirCase()
    {
        var codes = QueryParameters.Check("SELECT {{ Country }}", [Country]).Select(e => e.Code);

        codes.ShouldBe(["parameter.placeholder_unknown", "parameter.never_used"], ignoreOrder: true);
    }

    [Fact]
    public void Check_RefusesTwoDefinitionsWhoseNamesDifferOnlyInCase()
    {
        var errors = QueryParameters.Check("SELECT {{ country }}, {{ Country }}", [Country, ParameterDefinition.Create("Country", ParameterType.Text)]);

        var error = errors.ShouldHaveSingleItem();
        error.Code.ShouldBe("parameter.name_duplicate");
        error.Field.ShouldBe("parameters[1].name");
    }

    [Fact]
    public void Check_RefusesAWholeDateRange_AndPartsOfAnythingElse()
    {
        var errors = QueryParameters.Check("SELECT {{ period }}, {{ country.start }}", [Country, Period]);

        errors.Select(e => e.Code).ShouldBe(["parameter.range_needs_part", "parameter.part_of_non_range"]);
        errors[0].Message.ShouldContain("{{ period.start }}");
    }

    [Fact]
    public void Check_AcceptsADateRangeUsedThroughOnlyOneOfItsParts() =>
        QueryParameters.Check("SELECT * FROM t WHERE d >= {{ period.start }}", [Period]).ShouldBeEmpty();

    [Fact]
    public void Check_RefusesMoreThanTheMaximumNumberOfParameters()
    {
        var definitions = Enumerable.Range(0, QueryParameters.MaxDefinitions + 1)
            .Select(i => ParameterDefinition.Create($"p{i}", ParameterType.Number))
            .ToList();
        var sql = "SELECT " + string.Join(", ", definitions.Select(d => $"{{{{ {d.Name} }}}}"));

        QueryParameters.Check(sql, definitions).ShouldHaveSingleItem().ShouldBe(ParameterErrors.TooMany);
        QueryParameters.Check(sql.Replace($", {{{{ p{QueryParameters.MaxDefinitions} }}}}", string.Empty, StringComparison.Ordinal), definitions[..^1]).ShouldBeEmpty();
    }

    [Fact]
    public void Check_RunsTheSafetyCheck_AndNamesTheTokenWhereTheUserWroteIt()
    {
        var sql = "SELECT {{ country }}, {{ country }}, pg_read_file('/etc/passwd')";

        var error = QueryParameters.Check(sql, [Country]).ShouldHaveSingleItem();

        error.Code.ShouldBe(SqlSafetyErrors.DeniedFunction.Code);
        var position = sql.IndexOf("pg_read_file", StringComparison.Ordinal);
        error.Message.ShouldContain($"`pg_read_file` at position {position} (line 1, column {position + 1})");
    }

    [Fact]
    public void Check_WhenTheSafetyCheckStumblesOnAPlaceholder_NamesTheWholePlaceholder()
    {
        var error = QueryParameters.Check("{{ country }}", [Country]).ShouldHaveSingleItem();

        error.Code.ShouldBe(SqlSafetyErrors.StatementNotAllowed.Code);
        error.Message.ShouldContain("`{{ country }}` at position 0");
    }

    [Theory]
    [InlineData("WITH d AS (DELETE FROM t WHERE id = {{ country }} RETURNING *) SELECT * FROM d", "sql.data_modifying")]
    [InlineData("DELETE FROM t WHERE id = {{ country }}", "sql.statement_not_allowed")]
    [InlineData("SELECT {{ country }}; SELECT 2", "sql.multiple_statements")]
    [InlineData("   -- only a comment", "sql.empty")]
    public void Check_RefusesWhatTheSafetyCheckRefuses(string sql, string code) =>
        QueryParameters.Check(sql, sql.Contains("country", StringComparison.Ordinal) ? [Country] : [])
            .ShouldContain(e => e.Code == code);

    [Fact]
    public void Check_ReportsEveryProblemAtOnce()
    {
        var errors = QueryParameters.Check("SELECT {{ a }}, {{ period }}, $1, pg_sleep(10)", [Period, Country]);

        errors.Select(e => e.Code).ShouldBe(
            ["parameter.positional", "parameter.placeholder_unknown", "parameter.range_needs_part", "parameter.never_used", "sql.denied_function"],
            ignoreOrder: true);
    }
}
