using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Application.SavedQueries;
using Loupe.Domain.Queries.Parameters;

namespace Loupe.Application.Tests.SavedQueries;

public sealed class ParameterJsonTests
{
    private static ParameterValue? Read(string json) => ParameterJson.ToValue(JsonDocument.Parse(json).RootElement);

    [Fact]
    public void ToValue_ReadsEachJsonShapeTheWayTheDomainNamesIt()
    {
        Read("\"x\"").ShouldBe(ParameterValue.OfText("x"));
        Read("-1.50e3").ShouldBe(ParameterValue.OfNumber("-1.50e3"));
        Read("true").ShouldBe(ParameterValue.OfBoolean(true));
        Read("null").ShouldBeNull();
        Read("""{"start":"2026-01-01","end":null}""").ShouldBe(ParameterValue.OfRange(ParameterValue.OfText("2026-01-01"), null));
        Read("""{"end":"2026-01-01"}""").ShouldBe(ParameterValue.OfRange(null, ParameterValue.OfText("2026-01-01")));
        Read("[1]").ShouldBeOfType<UnsupportedValue>();
        Read("""{"from":"2026-01-01"}""").ShouldBeOfType<UnsupportedValue>();
        ParameterJson.ToValue((JsonElement?)null).ShouldBeNull();
    }

    [Fact]
    public void ToValues_KeepsNamesAsTheyAre()
    {
        var values = ParameterJson.ToValues(new Dictionary<string, JsonElement> { ["Country"] = JsonDocument.Parse("\"CH\"").RootElement });

        values.ContainsKey("Country").ShouldBeTrue();
        values.ContainsKey("country").ShouldBeFalse();
        ParameterJson.ToValues(null).ShouldBeEmpty();
    }

    [Fact]
    public void Definitions_SurviveStorage()
    {
        IReadOnlyList<ParameterDefinition> definitions =
        [
            ParameterDefinition.Create("country", ParameterType.Enum, "Country", true, ParameterValue.OfText("CH"), ["CH", "FR"]),
            ParameterDefinition.Create("limit", ParameterType.Number, null, false, ParameterValue.OfNumber("1e2")),
            ParameterDefinition.Create("since", ParameterType.DateRange, defaultValue: ParameterValue.OfRange(ParameterValue.OfText("2026-01-01"), ParameterValue.OfText("2026-01-31"))),
            ParameterDefinition.Create("flag", ParameterType.Boolean, defaultValue: ParameterValue.OfBoolean(false)),
            ParameterDefinition.Create("at", ParameterType.DateTime),
        ];

        var json = ParameterJson.Serialize(definitions);

        ParameterJson.Deserialize(json).ShouldBe(definitions);
        json.ShouldContain("\"type\":\"date_range\"");
        json.ShouldContain("\"default\":100");
    }

    [Property]
    public Property AnyTextValue_SurvivesAJsonRoundTrip()
    {
        return Prop.ForAll(ArbMap.Default.ArbFor<string>(), text =>
        {
            var value = ParameterValue.OfText(text ?? string.Empty);
            return Equals(ParameterJson.ToValue(ParameterJson.ToJson(value)), value);
        });
    }

    [Fact]
    public void NumbersThatAreNotJson_AreWrittenAsText_NeverAsInvalidJson()
    {
        var json = ParameterJson.ToJson(ParameterValue.OfNumber("+5")).ShouldNotBeNull();

        json.ValueKind.ShouldBe(JsonValueKind.String);
    }
}
