using FsCheck;
using FsCheck.Fluent;
using Loupe.Domain.Visualizations;

namespace Loupe.Domain.Tests.Visualizations;

/// <summary>
/// Valid options of every type, for properties here and in the API's tests (the file is linked there):
/// each generated value is one the parser accepts.
/// </summary>
internal static class VisualizationOptionsGenerators
{
    // Column names as databases return them: case, blanks, quotes, non-ASCII and JSON-escaped characters.
    public static readonly string[] ColumnPool =
        ["a", "A", "day", "revenue", "Total $", "x y", "\"quoted\"", "Ωmega", "col_1", "naïve", "tab\there", "back\\slash", "😀", "<b>", "sum(amount)", "1"];

    public static readonly Gen<string> Column = Gen.Elements(ColumnPool);

    public static readonly Gen<string?> Label =
        Gen.OneOf(Gen.Constant<string?>(null), Gen.Elements<string?>("Revenue", "Ümsatz", "a \"b\"", new string('l', VisualizationOptionsParser.LabelMaxLength)));

    public static readonly Gen<NumberFormat?> Format = Gen.OneOf(
        Gen.Constant<NumberFormat?>(null),
        Gen.Choose(-1, NumberFormat.MaxDecimals).SelectMany(decimals =>
            Gen.Elements<string?>(null, "", "$", "€ ").SelectMany(prefix =>
                Gen.Elements<string?>(null, "", "%", " kg", new string('s', NumberFormat.AffixMaxLength)).SelectMany(suffix =>
                    Gen.Elements(true, false).Select(percent => (NumberFormat?)new NumberFormat(decimals < 0 ? null : decimals, prefix, suffix, percent))))));

    public static readonly Gen<string?> DateFormat =
        Gen.OneOf(Gen.Constant<string?>(null), Gen.Elements(DateFormats.Patterns.ToArray()).Select(p => (string?)p));

    /// <summary>1 to <paramref name="max"/> distinct columns (or 0 when <paramref name="min"/> is 0).</summary>
    public static Gen<string[]> DistinctColumns(int min, int max) =>
        Gen.Shuffle(ColumnPool).SelectMany(shuffled => Gen.Choose(min, Math.Min(max, shuffled.Length)).Select(n => shuffled.Take(n).ToArray()));

    public static readonly Gen<VisualizationOptions> Chart =
        Gen.Elements(VisualizationType.Line, VisualizationType.Bar, VisualizationType.Area, VisualizationType.Scatter).SelectMany(type =>
            Column.SelectMany(x =>
                Column.SelectMany(c => Label.SelectMany(l => Gen.Elements(YAxis.Left, YAxis.Right).Select(axis => new ChartSeries(c, l, axis))))
                    .NonEmptyListOf().Select(series => series.Take(ChartOptions.MaxSeries).ToArray())
                    .SelectMany(series => Gen.Elements(Stacking.None, Stacking.Normal, Stacking.Percent).SelectMany(stacking =>
                        Format.SelectMany(format => DateFormat.Select(date => (VisualizationOptions)new ChartOptions(
                            type, x, new(series), type == VisualizationType.Scatter ? Stacking.None : stacking, format, date)))))));

    public static readonly Gen<VisualizationOptions> Pie =
        Column.SelectMany(v => Column.SelectMany(l => Format.Select(f => (VisualizationOptions)new PieOptions(v, l, f))));

    public static readonly Gen<VisualizationOptions> Counter =
        Column.SelectMany(v => Gen.OneOf(Gen.Constant<string?>(null), Column.Select(c => (string?)c))
            .SelectMany(t => Format.Select(f => (VisualizationOptions)new CounterOptions(v, t, f))));

    public static readonly Gen<VisualizationOptions> Pivot =
        DistinctColumns(0, 2 * PivotOptions.MaxGroupColumns).SelectMany(grouped => Gen.Choose(0, grouped.Length).SelectMany(split =>
            Column.SelectMany(c => Gen.Elements(Enum.GetValues<Aggregation>()).Select(a => new PivotValue(c, a)))
                .NonEmptyListOf().Select(values => values.Take(PivotOptions.MaxValues).ToArray())
                .SelectMany(values => Format.Select(f => (VisualizationOptions)new PivotOptions(
                    new(grouped.Take(Math.Min(split, PivotOptions.MaxGroupColumns))),
                    new(grouped.Skip(split).Take(PivotOptions.MaxGroupColumns)),
                    new(values),
                    f)))));

    public static readonly Gen<TableColumn> TableColumnGen =
        Gen.Elements(true, false).SelectMany(visible => Label.SelectMany(label =>
            Gen.Elements(0, 1, 2).SelectMany(which => Format.SelectMany(number => DateFormat.Select(date =>
                new TableColumn("placeholder", visible, label, which == 1 ? number : null, which == 2 ? date : null))))));

    public static readonly Gen<VisualizationOptions> Table =
        DistinctColumns(0, ColumnPool.Length).SelectMany(columns => TableColumnGen.ArrayOf(columns.Length).Select(settings =>
            (VisualizationOptions)new TableOptions(new(columns.Zip(settings, (name, setting) => setting with { Column = name })))));

    public static readonly Gen<VisualizationOptions> AnyOptions = Gen.OneOf(Chart, Pie, Counter, Pivot, Table);
}
