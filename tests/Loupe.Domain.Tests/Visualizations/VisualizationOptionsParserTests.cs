using System.Text.Json;
using Loupe.Domain.Common;
using Loupe.Domain.Visualizations;

namespace Loupe.Domain.Tests.Visualizations;

public sealed class VisualizationOptionsParserTests
{
    private static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    [Theory]
    [InlineData(VisualizationType.Table)]
    [InlineData(VisualizationType.Pivot)]
    [InlineData(VisualizationType.Line)]
    public void OptionsLeftOut_AreRequiredAtTheirPath_NotAnException(VisualizationType type)
    {
        VisualizationOptionsParser.TryParse(type, default, out var options, out var errors).ShouldBeFalse();

        options.ShouldBeNull();
        errors.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            e => e.Code.ShouldBe("visualization.option_required"),
            e => e.Field.ShouldBe("options"));
    }

    private static VisualizationOptions Parsed(VisualizationType type, string json) =>
        VisualizationOptionsParser.TryParse(type, Json(json), out var options, out var errors)
            ? options
            : throw new ShouldAssertException(string.Join("; ", errors.Select(e => $"{e.Field}: {e.Code}")));

    private static IReadOnlyList<DomainError> Errors(VisualizationType type, string json)
    {
        VisualizationOptionsParser.TryParse(type, Json(json), out var options, out var errors).ShouldBeFalse();
        options.ShouldBeNull();
        return errors;
    }

    [Fact]
    public void TypeNames_AreTheWireNames_AndRoundTrip()
    {
        VisualizationTypes.Names.ShouldBe(["table", "line", "bar", "area", "pie", "scatter", "counter", "pivot"]);
        foreach (var type in Enum.GetValues<VisualizationType>())
        {
            VisualizationTypes.TryParse(type.WireName(), out var back).ShouldBeTrue();
            back.ShouldBe(type);
        }

        VisualizationTypes.TryParse("Line", out _).ShouldBeFalse();
        VisualizationTypes.TryParse(null, out _).ShouldBeFalse();
        VisualizationErrors.TypeUnknown.Field.ShouldBe("type");
    }

    [Fact]
    public void ALineChart_ReadsAxesSeriesStackingAndFormats()
    {
        var options = Parsed(VisualizationType.Line, """
            {"x_column": "day", "series": [{"column": "revenue", "label": "Revenue"}, {"column": "orders", "y_axis": "right"}],
             "stacking": "percent", "number_format": {"decimals": 2, "prefix": "$"}, "x_date_format": "YYYY-MM-DD"}
            """);

        options.ShouldBe(new ChartOptions(
            VisualizationType.Line,
            "day",
            new([new ChartSeries("revenue", "Revenue"), new ChartSeries("orders", null, YAxis.Right)]),
            Stacking.Percent,
            new NumberFormat(2, "$"),
            "YYYY-MM-DD"));
        options.Type.ShouldBe(VisualizationType.Line);
    }

    [Fact]
    public void AChart_NeedsAnXColumnAndAtLeastOneSeries()
    {
        Errors(VisualizationType.Bar, "{}").Select(e => (e.Field, e.Code)).ShouldBe(
        [
            ("options.x_column", "visualization.option_required"),
            ("options.series", "visualization.option_required"),
        ]);
        Errors(VisualizationType.Area, """{"x_column": "d", "series": []}""").ShouldHaveSingleItem().Field.ShouldBe("options.series");
    }

    [Fact]
    public void AScatterChart_DoesNotStack()
    {
        var error = Errors(VisualizationType.Scatter, """{"x_column": "x", "series": [{"column": "y"}], "stacking": "normal"}""").ShouldHaveSingleItem();

        error.Code.ShouldBe("visualization.option_unknown");
        error.Field.ShouldBe("options.stacking");
        Parsed(VisualizationType.Scatter, """{"x_column": "x", "series": [{"column": "y"}]}""").ShouldBeOfType<ChartOptions>().Stacking.ShouldBe(Stacking.None);
    }

    [Fact]
    public void EveryError_IsReportedAtItsPath_NotJustTheFirst()
    {
        var errors = Errors(VisualizationType.Line, """
            {"x_column": "", "series": [{"column": "a"}, {"column": "b", "y_axis": "top"}, {"label": "c"}, {"column": "d", "colour": "red"}],
             "stacking": "sideways", "number_format": {"decimals": 11, "percent": "yes"}, "x_date_format": "dd MMM", "legend": true}
            """);

        errors.Select(e => (e.Field, e.Code)).ShouldBe(
        [
            ("options.legend", "visualization.option_unknown"),
            ("options.x_column", "visualization.option_invalid"),
            ("options.series[1].y_axis", "visualization.option_invalid"),
            ("options.series[2].column", "visualization.option_required"),
            ("options.series[3].colour", "visualization.option_unknown"),
            ("options.stacking", "visualization.option_invalid"),
            ("options.number_format.decimals", "visualization.option_invalid"),
            ("options.number_format.percent", "visualization.option_invalid"),
            ("options.x_date_format", "visualization.option_invalid"),
        ]);
    }

    [Fact]
    public void TooManySeries_IsNamed()
    {
        var series = string.Join(",", Enumerable.Range(0, ChartOptions.MaxSeries + 1).Select(i => $$"""{"column": "c{{i}}"}"""));

        var error = Errors(VisualizationType.Line, $$"""{"x_column": "x", "series": [{{series}}]}""").ShouldHaveSingleItem();

        error.Code.ShouldBe("visualization.too_many");
        error.Field.ShouldBe("options.series");
    }

    [Fact]
    public void APie_NeedsItsValueAndLabelColumns()
    {
        Parsed(VisualizationType.Pie, """{"value_column": "n", "label_column": "country", "number_format": {"percent": true}}""")
            .ShouldBe(new PieOptions("n", "country", new NumberFormat(Percent: true)));
        Errors(VisualizationType.Pie, """{"value_column": 3}""").Select(e => (e.Field, e.Code)).ShouldBe(
        [
            ("options.value_column", "visualization.option_invalid"),
            ("options.label_column", "visualization.option_required"),
        ]);
    }

    [Fact]
    public void ACounter_HasAValue_AnOptionalTarget_AndAFormat()
    {
        Parsed(VisualizationType.Counter, """{"value_column": "total"}""").ShouldBe(new CounterOptions("total"));
        Parsed(VisualizationType.Counter, """{"value_column": "total", "target_column": null}""").ShouldBe(new CounterOptions("total"));
        Parsed(VisualizationType.Counter, """{"value_column": "total", "target_column": "goal", "number_format": {"suffix": " €", "decimals": 0}}""")
            .ShouldBe(new CounterOptions("total", "goal", new NumberFormat(0, Suffix: " €")));
    }

    [Fact]
    public void APivot_GroupsByEachColumnOnce_AndAggregatesItsValues()
    {
        Parsed(VisualizationType.Pivot, """{"rows": ["region"], "columns": ["year"], "values": [{"column": "sales", "aggregation": "sum"}, {"column": "id", "aggregation": "count"}]}""")
            .ShouldBe(new PivotOptions(new(["region"]), new(["year"]), new([new PivotValue("sales", Aggregation.Sum), new PivotValue("id", Aggregation.Count)])));

        Errors(VisualizationType.Pivot, """{"rows": ["region"], "columns": ["region"], "values": [{"column": "sales", "aggregation": "median"}, {"column": "x"}]}""")
            .Select(e => (e.Field, e.Code)).ShouldBe(
            [
                ("options.values[0].aggregation", "visualization.option_invalid"),
                ("options.values[1].aggregation", "visualization.option_required"),
                ("options.columns[0]", "visualization.column_duplicate"),
            ]);
    }

    [Fact]
    public void ATable_OrdersFormatsAndHidesColumns()
    {
        Parsed(VisualizationType.Table, """
            {"columns": [{"column": "created_at", "date_format": "DD/MM/YYYY"}, {"column": "secret", "visible": false}, {"column": "amount", "label": "Amount", "number_format": {"decimals": 2}}]}
            """).ShouldBe(new TableOptions(new(
            [
                new TableColumn("created_at", DateFormat: "DD/MM/YYYY"),
                new TableColumn("secret", Visible: false),
                new TableColumn("amount", Label: "Amount", NumberFormat: new NumberFormat(2)),
            ])));
        Parsed(VisualizationType.Table, "{}").ShouldBe(new TableOptions(new([])));

        Errors(VisualizationType.Table, """{"columns": [{"column": "a", "number_format": {}, "date_format": "YYYY"}, {"column": "a"}]}""")
            .Select(e => (e.Field, e.Code)).ShouldBe(
            [
                ("options.columns[0].date_format", "visualization.option_invalid"),
                ("options.columns[1].column", "visualization.column_duplicate"),
            ]);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("\"line\"")]
    [InlineData("42")]
    public void OptionsThatAreNotAnObject_AreRefused(string json)
    {
        foreach (var type in Enum.GetValues<VisualizationType>())
        {
            var error = Errors(type, json).ShouldHaveSingleItem();
            error.Code.ShouldBe("visualization.option_invalid");
            error.Field.ShouldBe("options");
        }
    }

    [Fact]
    public void OptionsOverTheLimit_AreRefusedWithANamedError()
    {
        var labels = string.Join(",", Enumerable.Range(0, 400).Select(i => $$"""{"column": "c{{i}}", "label": "{{new string('l', 200)}}"}"""));

        var error = Errors(VisualizationType.Table, $$"""{"columns": [{{labels}}]}""").ShouldHaveSingleItem();

        error.ShouldBe(VisualizationErrors.OptionsTooLarge);
        error.Field.ShouldBe("options");
        Should.Throw<DomainException>(() => VisualizationOptionsParser.Parse(VisualizationType.Table, Json($$"""{"columns": [{{labels}}]}""")))
            .Error.Code.ShouldBe("visualization.options_too_large");
    }

    [Fact]
    public void ToJson_WritesSnakeCaseAndLeavesAbsentSettingsOut()
    {
        new CounterOptions("total").ToJson().ShouldBe("""{"value_column":"total"}""");
        new ChartOptions(VisualizationType.Scatter, "x", new([new ChartSeries("y")])).ToJson()
            .ShouldBe("""{"x_column":"x","series":[{"column":"y","y_axis":"left"}]}""");
    }
}
