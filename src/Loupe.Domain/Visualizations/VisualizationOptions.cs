using System.Text;
using System.Text.Json;

namespace Loupe.Domain.Visualizations;

/// <summary>
/// A visualization's options, typed by its <see cref="VisualizationType"/>. Made only by
/// <see cref="VisualizationOptionsParser"/> (which enforces every rule) or by hand in tests;
/// <see cref="ToJson"/> writes the document the parser reads back into an equal value. Absent optional
/// settings are left out of the JSON, never written as null.
/// </summary>
public abstract record VisualizationOptions
{
    public abstract VisualizationType Type { get; }

    /// <summary>Writes the options as one JSON object with snake_case keys.</summary>
    public abstract void Write(Utf8JsonWriter writer);

    /// <summary>The options as compact JSON text.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            Write(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private protected static void WriteNumberFormat(Utf8JsonWriter writer, string key, NumberFormat? format)
    {
        if (format is not null)
        {
            writer.WritePropertyName(key);
            format.Write(writer);
        }
    }

    private protected static void WriteOptional(Utf8JsonWriter writer, string key, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(key, value);
        }
    }
}

/// <summary>Which y axis a series is drawn against.</summary>
public enum YAxis
{
    Left,
    Right,
}

/// <summary>How the series of a line, bar or area chart are stacked.</summary>
public enum Stacking
{
    None,
    Normal,
    Percent,
}

/// <summary>How to aggregate the values that fall into one pivot cell.</summary>
public enum Aggregation
{
    Sum,
    Count,
    Avg,
    Min,
    Max,
}

/// <summary>
/// How a number is shown: a fixed number of decimals (0 to <see cref="MaxDecimals"/>, or as the value
/// has them), text before and after, and as a percentage (the value times 100, with "%").
/// </summary>
public sealed record NumberFormat(int? Decimals = null, string? Prefix = null, string? Suffix = null, bool Percent = false)
{
    public const int MaxDecimals = 10;
    public const int AffixMaxLength = 16;

    public void Write(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        if (Decimals is { } decimals)
        {
            writer.WriteNumber("decimals", decimals);
        }

        if (Prefix is not null)
        {
            writer.WriteString("prefix", Prefix);
        }

        if (Suffix is not null)
        {
            writer.WriteString("suffix", Suffix);
        }

        if (Percent)
        {
            writer.WriteBoolean("percent", true);
        }

        writer.WriteEndObject();
    }
}

/// <summary>
/// The date patterns a column can be shown with: a closed set, so every client renders them the same
/// way (tokens as in most date libraries: <c>YYYY</c> year, <c>MM</c> month, <c>DD</c> day, <c>HH</c>
/// hour 00–23, <c>mm</c> minute, <c>ss</c> second).
/// </summary>
public static class DateFormats
{
    public static IReadOnlyList<string> Patterns { get; } =
    [
        "YYYY-MM-DD",
        "YYYY-MM-DD HH:mm",
        "YYYY-MM-DD HH:mm:ss",
        "DD/MM/YYYY",
        "MM/DD/YYYY",
        "DD.MM.YYYY",
        "YYYY-MM",
        "YYYY",
        "HH:mm",
        "HH:mm:ss",
    ];

    public static bool IsKnown(string? pattern) => pattern is not null && Patterns.Contains(pattern, StringComparer.Ordinal);
}

/// <summary>One series of a chart: a result column, an optional legend label and the y axis it is drawn against.</summary>
public sealed record ChartSeries(string Column, string? Label = null, YAxis YAxis = YAxis.Left);

/// <summary>
/// Line, bar, area and scatter charts: the x axis column, 1 to <see cref="MaxSeries"/> series, the
/// stacking (not for scatter, whose points do not stack), and formats for the y values and for dates on the x axis.
/// </summary>
public sealed record ChartOptions(
    VisualizationType ChartType,
    string XColumn,
    ValueList<ChartSeries> Series,
    Stacking Stacking = Stacking.None,
    NumberFormat? NumberFormat = null,
    string? XDateFormat = null) : VisualizationOptions
{
    public const int MaxSeries = 50;

    public override VisualizationType Type => ChartType;

    public override void Write(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("x_column", XColumn);
        writer.WriteStartArray("series");
        foreach (var series in Series)
        {
            writer.WriteStartObject();
            writer.WriteString("column", series.Column);
            WriteOptional(writer, "label", series.Label);
            writer.WriteString("y_axis", series.YAxis == YAxis.Right ? "right" : "left");
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (ChartType != VisualizationType.Scatter)
        {
            writer.WriteString("stacking", VisualizationOptionsParser.StackingName(Stacking));
        }

        WriteNumberFormat(writer, "number_format", NumberFormat);
        WriteOptional(writer, "x_date_format", XDateFormat);
        writer.WriteEndObject();
    }
}

/// <summary>A pie chart: the column holding each slice's value and the column naming it.</summary>
public sealed record PieOptions(string ValueColumn, string LabelColumn, NumberFormat? NumberFormat = null) : VisualizationOptions
{
    public override VisualizationType Type => VisualizationType.Pie;

    public override void Write(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("value_column", ValueColumn);
        writer.WriteString("label_column", LabelColumn);
        WriteNumberFormat(writer, "number_format", NumberFormat);
        writer.WriteEndObject();
    }
}

/// <summary>A single big number (from the first row), optionally against a target from another column.</summary>
public sealed record CounterOptions(string ValueColumn, string? TargetColumn = null, NumberFormat? NumberFormat = null) : VisualizationOptions
{
    public override VisualizationType Type => VisualizationType.Counter;

    public override void Write(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("value_column", ValueColumn);
        WriteOptional(writer, "target_column", TargetColumn);
        WriteNumberFormat(writer, "number_format", NumberFormat);
        writer.WriteEndObject();
    }
}

/// <summary>One aggregated value of a pivot table.</summary>
public sealed record PivotValue(string Column, Aggregation Aggregation);

/// <summary>
/// A pivot table: the columns grouped into rows, those spread into columns, and 1 to
/// <see cref="MaxValues"/> aggregated values; a column is used at most once among rows and columns.
/// </summary>
public sealed record PivotOptions(
    ValueList<string> Rows,
    ValueList<string> Columns,
    ValueList<PivotValue> Values,
    NumberFormat? NumberFormat = null) : VisualizationOptions
{
    public const int MaxGroupColumns = 10;
    public const int MaxValues = 20;

    public override VisualizationType Type => VisualizationType.Pivot;

    public override void Write(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        WriteStrings(writer, "rows", Rows);
        WriteStrings(writer, "columns", Columns);
        writer.WriteStartArray("values");
        foreach (var value in Values)
        {
            writer.WriteStartObject();
            writer.WriteString("column", value.Column);
            writer.WriteString("aggregation", VisualizationOptionsParser.AggregationName(value.Aggregation));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        WriteNumberFormat(writer, "number_format", NumberFormat);
        writer.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter writer, string key, IEnumerable<string> values)
    {
        writer.WriteStartArray(key);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}

/// <summary>
/// How a table shows one result column: a header label, whether it is shown, and a number or a date
/// format (not both).
/// </summary>
public sealed record TableColumn(string Column, bool Visible = true, string? Label = null, NumberFormat? NumberFormat = null, string? DateFormat = null);

/// <summary>
/// A table: the listed columns come first, in this order, each listed once (at most
/// <see cref="MaxColumns"/>); result columns not listed follow in the result's order, shown as they are.
/// </summary>
public sealed record TableOptions(ValueList<TableColumn> Columns) : VisualizationOptions
{
    public const int MaxColumns = 500;

    public override VisualizationType Type => VisualizationType.Table;

    public override void Write(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteStartArray("columns");
        foreach (var column in Columns)
        {
            writer.WriteStartObject();
            writer.WriteString("column", column.Column);
            if (!column.Visible)
            {
                writer.WriteBoolean("visible", false);
            }

            WriteOptional(writer, "label", column.Label);
            WriteNumberFormat(writer, "number_format", column.NumberFormat);
            WriteOptional(writer, "date_format", column.DateFormat);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
