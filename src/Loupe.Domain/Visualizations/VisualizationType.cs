namespace Loupe.Domain.Visualizations;

/// <summary>What a visualization draws; each type has its own options (<see cref="VisualizationOptions"/>).</summary>
public enum VisualizationType
{
    Table,
    Line,
    Bar,
    Area,
    Pie,
    Scatter,
    Counter,
    Pivot,
}

/// <summary>The wire names of <see cref="VisualizationType"/> (lower case, as the API spells them).</summary>
public static class VisualizationTypes
{
    private static readonly Dictionary<string, VisualizationType> ByName = new(StringComparer.Ordinal)
    {
        ["table"] = VisualizationType.Table,
        ["line"] = VisualizationType.Line,
        ["bar"] = VisualizationType.Bar,
        ["area"] = VisualizationType.Area,
        ["pie"] = VisualizationType.Pie,
        ["scatter"] = VisualizationType.Scatter,
        ["counter"] = VisualizationType.Counter,
        ["pivot"] = VisualizationType.Pivot,
    };

    /// <summary>Every wire name, in declaration order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. ByName.Keys];

    public static string WireName(this VisualizationType type) => type switch
    {
        VisualizationType.Table => "table",
        VisualizationType.Line => "line",
        VisualizationType.Bar => "bar",
        VisualizationType.Area => "area",
        VisualizationType.Pie => "pie",
        VisualizationType.Scatter => "scatter",
        VisualizationType.Counter => "counter",
        VisualizationType.Pivot => "pivot",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a visualization type."),
    };

    /// <summary>The type a wire name stands for (exact, lower case), or false.</summary>
    public static bool TryParse(string? name, out VisualizationType type) =>
        ByName.TryGetValue(name ?? string.Empty, out type);

    /// <summary>True for the charts drawn on an x axis with series: line, bar, area and scatter.</summary>
    public static bool IsSeriesChart(this VisualizationType type) =>
        type is VisualizationType.Line or VisualizationType.Bar or VisualizationType.Area or VisualizationType.Scatter;
}
