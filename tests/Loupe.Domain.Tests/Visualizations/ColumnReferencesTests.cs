using Loupe.Domain.Visualizations;

namespace Loupe.Domain.Tests.Visualizations;

public sealed class ColumnReferencesTests
{
    [Fact]
    public void Of_ListsEveryReferencedColumnAtItsPath()
    {
        var chart = new ChartOptions(VisualizationType.Bar, "day", new([new ChartSeries("a"), new ChartSeries("b")]));
        ColumnReferences.Of(chart).ShouldBe(
        [
            new ColumnReference("options.x_column", "day"),
            new ColumnReference("options.series[0].column", "a"),
            new ColumnReference("options.series[1].column", "b"),
        ]);

        var pivot = new PivotOptions(new(["r"]), new(["c"]), new([new PivotValue("v", Aggregation.Max)]));
        ColumnReferences.Of(pivot).Select(r => r.Path).ShouldBe(["options.rows[0]", "options.columns[0]", "options.values[0].column"]);
        ColumnReferences.Of(new CounterOptions("v")).ShouldHaveSingleItem().Path.ShouldBe("options.value_column");
        ColumnReferences.Of(new CounterOptions("v", "t")).Select(r => r.Path).ShouldBe(["options.value_column", "options.target_column"]);
        ColumnReferences.Of(new PieOptions("v", "l")).Select(r => r.Column).ShouldBe(["v", "l"]);
        ColumnReferences.Of(new TableOptions(new([new TableColumn("x")]))).ShouldHaveSingleItem().Path.ShouldBe("options.columns[0].column");
    }

    [Fact]
    public void Missing_NamesTheStaleReferences_ComparingNamesExactly()
    {
        var chart = new ChartOptions(VisualizationType.Line, "day", new([new ChartSeries("Revenue"), new ChartSeries("orders")]));

        var missing = ColumnReferences.Missing(chart, ["day", "revenue", "orders"]);

        missing.ShouldBe([new ColumnReference("options.series[0].column", "Revenue")]);
        var error = VisualizationErrors.UnknownColumn(missing[0].Path, missing[0].Column);
        error.Code.ShouldBe("visualization.unknown_column");
        error.Field.ShouldBe("options.series[0].column");
        ColumnReferences.Missing(chart, ["day", "Revenue", "orders"]).ShouldBeEmpty();
    }
}
