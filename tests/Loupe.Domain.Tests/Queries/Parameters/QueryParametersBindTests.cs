using Loupe.Domain.Common;
using Loupe.Domain.Queries.Parameters;

namespace Loupe.Domain.Tests.Queries.Parameters;

public sealed class QueryParametersBindTests
{
    private static Dictionary<string, ParameterValue?> Values(params (string Name, ParameterValue? Value)[] values) =>
        values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);

    [Fact]
    public void Bind_NumbersPlaceholdersInOrderOfFirstUse_AndReusesTheNumberOfARepeatedName()
    {
        var definitions = new[]
        {
            ParameterDefinition.Create("b", ParameterType.Text),
            ParameterDefinition.Create("a", ParameterType.Number),
        };

        var bound = QueryParameters.Bind(
            "SELECT * FROM t WHERE x = {{ a }} AND y = {{b}} OR z = {{  a  }}",
            definitions,
            Values(("a", ParameterValue.OfNumber("7")), ("b", ParameterValue.OfText("it's"))));

        bound.Sql.ShouldBe("SELECT * FROM t WHERE x = $1 AND y = $2 OR z = $1");
        bound.Values.ShouldBe([7L, "it's"]);
    }

    [Fact]
    public void Bind_ExpandsADateRangeIntoItsTwoDates()
    {
        var bound = QueryParameters.Bind(
            "SELECT * FROM t WHERE d >= {{ p.start }} AND d < {{ p.end }} AND e >= {{ p.start }}",
            [ParameterDefinition.Create("p", ParameterType.DateRange)],
            Values(("p", ParameterValue.OfRange(ParameterValue.OfText("2026-01-01"), ParameterValue.OfText("2026-02-01")))));

        bound.Sql.ShouldBe("SELECT * FROM t WHERE d >= $1 AND d < $2 AND e >= $1");
        bound.Values.ShouldBe([new DateOnly(2026, 1, 1), new DateOnly(2026, 2, 1)]);
    }

    [Theory]
    [InlineData("SELECT x{{ a }}", "SELECT x $1")]
    [InlineData("SELECT {{ a }}1", "SELECT $1 1")]
    [InlineData("SELECT 1{{ a }}x", "SELECT 1 $1 x")]
    [InlineData("SELECT -{{a}}::int", "SELECT -$1::int")]
    [InlineData("SELECT ({{a}})", "SELECT ($1)")]
    [InlineData("SELECT {{a}}{{a}}", "SELECT $1 $1")]
    public void Bind_KeepsEachParameterApartFromItsNeighbours(string sql, string expected) =>
        QueryParameters.Bind(sql, [ParameterDefinition.Create("a", ParameterType.Number)], Values(("a", ParameterValue.OfNumber("1"))))
            .Sql.ShouldBe(expected);

    public static TheoryData<ParameterType, ParameterValue, object> TypedValues => new()
    {
        { ParameterType.Text, ParameterValue.OfText("Zürich"), "Zürich" },
        { ParameterType.Number, ParameterValue.OfNumber("42"), 42L },
        { ParameterType.Number, ParameterValue.OfNumber("-9223372036854775808"), long.MinValue },
        { ParameterType.Number, ParameterValue.OfNumber("1e3"), 1000L },
        { ParameterType.Number, ParameterValue.OfNumber("2.50"), 2.50m },
        { ParameterType.Number, ParameterValue.OfNumber("9223372036854775808"), 9223372036854775808m },
        { ParameterType.Boolean, ParameterValue.OfBoolean(true), true },
        { ParameterType.Date, ParameterValue.OfText("2026-02-28"), new DateOnly(2026, 2, 28) },
        { ParameterType.DateTime, ParameterValue.OfText("2026-02-28T10:30:00+02:00"), new DateTime(2026, 2, 28, 8, 30, 0, DateTimeKind.Utc) },
        { ParameterType.DateTime, ParameterValue.OfText("2026-02-28t10:30:00.123456789z"), new DateTime(2026, 2, 28, 10, 30, 0, DateTimeKind.Utc).AddTicks(1234567) },
    };

    [Theory]
    [MemberData(nameof(TypedValues))]
    public void Bind_SendsEachTypeAsTheClrTypeNpgsqlSendsNatively(ParameterType type, ParameterValue value, object expected)
    {
        var bound = QueryParameters.Bind("SELECT {{ v }}", [ParameterDefinition.Create("v", type)], Values(("v", value)));

        var sent = bound.Values.ShouldHaveSingleItem();
        sent.ShouldBe(expected);
        sent!.GetType().ShouldBe(expected.GetType());
        if (sent is DateTime instant)
        {
            instant.Kind.ShouldBe(DateTimeKind.Utc);
        }
    }

    [Fact]
    public void Bind_TakesAnEnumValueOnlyFromItsOptions()
    {
        var status = ParameterDefinition.Create("status", ParameterType.Enum, options: ["open", "closed"]);

        QueryParameters.Bind("SELECT {{ status }}", [status], Values(("status", ParameterValue.OfText("closed")))).Values.ShouldBe(["closed"]);
        var error = Should.Throw<DomainException>(() => QueryParameters.Bind("SELECT {{ status }}", [status], Values(("status", ParameterValue.OfText("Closed"))))).Error;
        error.Field.ShouldBe("parameters.status");
        error.Message.ShouldContain("open, closed");
    }

    public static TheoryData<ParameterType, ParameterValue> WrongValues => new()
    {
        { ParameterType.Text, ParameterValue.OfNumber("1") },
        { ParameterType.Text, ParameterValue.OfText(new string('x', 10_001)) },
        { ParameterType.Text, ParameterValue.OfText("a\0b") },
        { ParameterType.Number, ParameterValue.OfText("1") },
        { ParameterType.Number, ParameterValue.OfNumber("1e400") },
        { ParameterType.Number, ParameterValue.OfNumber("NaN") },
        { ParameterType.Boolean, ParameterValue.OfText("true") },
        { ParameterType.Date, ParameterValue.OfText("2026-02-30") },
        { ParameterType.Date, ParameterValue.OfText("2026-2-3") },
        { ParameterType.Date, ParameterValue.OfText("2026-02-03T00:00:00Z") },
        { ParameterType.DateTime, ParameterValue.OfText("2026-02-03T10:00:00") },
        { ParameterType.DateTime, ParameterValue.OfText("2026-02-03") },
        { ParameterType.DateRange, ParameterValue.OfText("2026-02-03") },
        { ParameterType.DateRange, ParameterValue.OfRange(ParameterValue.OfText("2026-02-03"), null) },
        { ParameterType.DateRange, ParameterValue.OfRange(ParameterValue.OfText("2026-02-03"), ParameterValue.OfText("2026-02-02")) },
        { ParameterType.Text, ParameterValue.Unsupported("array") },
    };

    [Theory]
    [MemberData(nameof(WrongValues))]
    public void Bind_RefusesAValueOfTheWrongShape_NamingTheParameter(ParameterType type, ParameterValue value)
    {
        var sql = type == ParameterType.DateRange ? "SELECT {{ v.start }}" : "SELECT {{ v }}";

        var error = Should.Throw<DomainException>(() => QueryParameters.Bind(sql, [ParameterDefinition.Create("v", type)], Values(("v", value)))).Error;

        error.Code.ShouldBe("parameter.value_invalid");
        error.Field.ShouldBe("parameters.v");
    }

    [Fact]
    public void Bind_UsesTheDefault_WhenNoValueIsGiven()
    {
        var limit = ParameterDefinition.Create("limit", ParameterType.Number, defaultValue: ParameterValue.OfNumber("10"));

        QueryParameters.Bind("SELECT 1 LIMIT {{ limit }}", [limit], Values()).Values.ShouldBe([10L]);
        QueryParameters.Bind("SELECT 1 LIMIT {{ limit }}", [limit], Values(("limit", null))).Values.ShouldBe([10L]);
        QueryParameters.Bind("SELECT 1 LIMIT {{ limit }}", [limit], Values(("limit", ParameterValue.OfNumber("3")))).Values.ShouldBe([3L]);
    }

    [Fact]
    public void Bind_RefusesAMissingRequiredValue_AndSendsNullForAMissingOptionalOne()
    {
        var required = ParameterDefinition.Create("r", ParameterType.Text);
        var optional = ParameterDefinition.Create("o", ParameterType.DateRange, required: false);

        var error = Should.Throw<DomainException>(() => QueryParameters.Bind("SELECT {{ r }}", [required], Values())).Error;
        error.ShouldBe(ParameterErrors.ValueRequired("r"));
        error.Field.ShouldBe("parameters.r");
        var bound = QueryParameters.Bind("SELECT {{ o.start }}, {{ o.end }}", [optional], Values());
        bound.Values.ShouldBe([null, null]);
    }

    [Fact]
    public void Bind_RefusesAValueForNoParameter()
    {
        var error = Should.Throw<DomainException>(() => QueryParameters.Bind("SELECT 1", [], Values(("nope", ParameterValue.OfText("x"))))).Error;

        error.ShouldBe(ParameterErrors.ValueUnknown("nope"));
        error.Field.ShouldBe("parameters.nope");
    }

    [Fact]
    public void TryBind_ReportsEveryProblemAtOnce()
    {
        var ok = QueryParameters.TryBind(
            "SELECT {{ a }}, {{ b }}",
            [ParameterDefinition.Create("a", ParameterType.Number), ParameterDefinition.Create("b", ParameterType.Boolean)],
            Values(("a", ParameterValue.OfText("x")), ("c", ParameterValue.OfText("y"))),
            out var bound,
            out var errors);

        ok.ShouldBeFalse();
        bound.ShouldBeNull();
        errors.Select(e => e.Field).ShouldBe(["parameters.c", "parameters.a", "parameters.b"]);
    }

    [Fact]
    public void Bind_RefusesAQueryWhosePlaceholdersDoNotMatchItsParameters()
    {
        var error = Should.Throw<DomainException>(() => QueryParameters.Bind("SELECT {{ a }}", [], Values())).Error;

        error.Code.ShouldBe("parameter.placeholder_unknown");
        error.Field.ShouldBe("sql");
    }

    [Fact]
    public void Bind_LeavesBracesInStringsAndCommentsAsTheyAre()
    {
        var bound = QueryParameters.Bind(
            "SELECT '{{ a }}', {{ a }} -- {{ a }}",
            [ParameterDefinition.Create("a", ParameterType.Text)],
            Values(("a", ParameterValue.OfText("v"))));

        bound.Sql.ShouldBe("SELECT '{{ a }}', $1 -- {{ a }}");
    }
}
