using Loupe.Domain.Common;
using Loupe.Domain.Queries.Parameters;

namespace Loupe.Domain.Tests.Queries.Parameters;

public sealed class ParameterDefinitionTests
{
    [Fact]
    public void Create_IsRequiredByDefault_AndTrimsTheTitle()
    {
        var definition = ParameterDefinition.Create("start_date", ParameterType.Date, "  Start date ");

        definition.Required.ShouldBeTrue();
        definition.Title.ShouldBe("Start date");
        definition.Options.ShouldBeEmpty();
        definition.Default.ShouldBeNull();
    }

    [Theory]
    [InlineData("")]
    [InlineData("1st")]
    [InlineData("with space")]
    [InlineData("dash-ed")]
    [InlineData("dotted.name")]
    [InlineData("naïve")]
    public void Create_RefusesANameThatIsNotAnIdentifier(string name) =>
        Should.Throw<DomainException>(() => ParameterDefinition.Create(name, ParameterType.Text)).Error.Code.ShouldBe("parameter.name_invalid");

    [Fact]
    public void Check_ReportsEveryBrokenRuleUnderTheGivenField()
    {
        var errors = ParameterDefinition.Check("9", ParameterType.Text, new string('t', 256), null, ["a"], "parameters[3]");

        errors.Select(e => e.Field).ShouldBe(["parameters[3].name", "parameters[3].title", "parameters[3].options"]);
    }

    [Fact]
    public void AnEnum_NeedsDistinctNonEmptyOptions()
    {
        ParameterDefinition.Check("s", ParameterType.Enum, null, null, [], "p").ShouldHaveSingleItem().Code.ShouldBe("parameter.options_required");
        ParameterDefinition.Check("s", ParameterType.Enum, null, null, ["a", "a"], "p").ShouldHaveSingleItem().Code.ShouldBe("parameter.option_invalid");
        ParameterDefinition.Check("s", ParameterType.Enum, null, null, ["a", ""], "p").ShouldHaveSingleItem().Code.ShouldBe("parameter.option_invalid");
        ParameterDefinition.Check("s", ParameterType.Enum, null, null, [.. Enumerable.Range(0, 101).Select(i => $"o{i}")], "p")
            .ShouldHaveSingleItem().Code.ShouldBe("parameter.options_required");
        ParameterDefinition.Create("s", ParameterType.Enum, options: ["a", "b"]).Options.ShouldBe(["a", "b"]);
    }

    [Fact]
    public void ADefault_MustFitTheType()
    {
        var error = ParameterDefinition.Check("d", ParameterType.Date, null, ParameterValue.OfText("yesterday"), null, "parameters[0]").ShouldHaveSingleItem();

        error.Code.ShouldBe("parameter.default_invalid");
        error.Field.ShouldBe("parameters[0].default");
        ParameterDefinition.Check("e", ParameterType.Enum, null, ParameterValue.OfText("c"), ["a", "b"], "p").ShouldHaveSingleItem().Code.ShouldBe("parameter.default_invalid");
        ParameterDefinition.Create("e", ParameterType.Enum, defaultValue: ParameterValue.OfText("b"), options: ["a", "b"]).Default.ShouldBe(ParameterValue.OfText("b"));
    }

    [Theory]
    [InlineData("1e2", "100")]
    [InlineData("2.50", "2.50")]
    [InlineData("-0.001", "-0.001")]
    public void ANumberDefault_IsKeptInOneSpelling(string literal, string canonical) =>
        ParameterDefinition.Create("n", ParameterType.Number, defaultValue: ParameterValue.OfNumber(literal)).Default.ShouldBe(ParameterValue.OfNumber(canonical));

    [Fact]
    public void Definitions_AreEqualByValue()
    {
        var a = ParameterDefinition.Create("e", ParameterType.Enum, "T", false, ParameterValue.OfText("b"), ["a", "b"]);
        var b = ParameterDefinition.Create("e", ParameterType.Enum, "T", false, ParameterValue.OfText("b"), ["a", "b"]);
        var c = ParameterDefinition.Create("e", ParameterType.Enum, "T", false, ParameterValue.OfText("b"), ["b", "a"]);

        a.ShouldBe(b);
        a.GetHashCode().ShouldBe(b.GetHashCode());
        a.ShouldNotBe(c);
    }

    [Fact]
    public void WireNames_RoundTrip()
    {
        foreach (var type in Enum.GetValues<ParameterType>())
        {
            ParameterTypes.TryParse(type.ToName(), out var parsed).ShouldBeTrue();
            parsed.ShouldBe(type);
        }

        ParameterTypes.TryParse("Text", out _).ShouldBeFalse();
        ParameterTypes.Names.ShouldBe(["text", "number", "boolean", "date", "datetime", "date_range", "enum"], ignoreOrder: true);
    }
}
