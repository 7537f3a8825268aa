using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Domain.Visualizations;

namespace Loupe.Domain.Tests.Visualizations;

public sealed class VisualizationOptionsPropertyTests
{
    // Column names as databases return them: case, blanks, quotes, non-ASCII and JSON-escaped characters.
    private static readonly string[] ColumnPool =
        ["a", "A", "day", "revenue", "Total $", "x y", "\"quoted\"", "Ωmega", "col_1", "naïve", "tab\there", "back\\slash", "😀", "<b>", "sum(amount)", "1"];

    private static readonly Gen<string> Column = Gen.Elements(ColumnPool);

    private static readonly Gen<string?> Label =
        Gen.OneOf(Gen.Constant<string?>(null), Gen.Elements<string?>("Revenue", "Ümsatz", "a \"b\"", new string('l', VisualizationOptionsParser.LabelMaxLength)));

    private static readonly Gen<NumberFormat?> Format = Gen.OneOf(
        Gen.Constant<NumberFormat?>(null),
        Gen.Choose(-1, NumberFormat.MaxDecimals).SelectMany(decimals =>
            Gen.Elements<string?>(null, "", "$", "€ ").SelectMany(prefix =>
                Gen.Elements<string?>(null, "", "%", " kg", new string('s', NumberFormat.AffixMaxLength)).SelectMany(suffix =>
                    Gen.Elements(true, false).Select(percent => (NumberFormat?)new NumberFormat(decimals < 0 ? null : decimals, prefix, suffix, percent))))));

    private static readonly Gen<string?> DateFormat =
        Gen.OneOf(Gen.Constant<string?>(null), Gen.Elements(DateFormats.Patterns.ToArray()).Select(p => (string?)p));

    /// <summary>1 to <paramref name="max"/> distinct columns (or 0 when <paramref name="min"/> is 0).</summary>
    private static Gen<string[]> DistinctColumns(int min, int max) =>
        Gen.Shuffle(ColumnPool).SelectMany(shuffled => Gen.Choose(min, Math.Min(max, shuffled.Length)).Select(n => shuffled.Take(n).ToArray()));

    private static readonly Gen<VisualizationOptions> Chart =
        Gen.Elements(VisualizationType.Line, VisualizationType.Bar, VisualizationType.Area, VisualizationType.Scatter).SelectMany(type =>
            Column.SelectMany(x =>
                Column.SelectMany(c => Label.SelectMany(l => Gen.Elements(YAxis.Left, YAxis.Right).Select(axis => new ChartSeries(c, l, axis))))
                    .NonEmptyListOf().Select(series => series.Take(ChartOptions.MaxSeries).ToArray())
                    .SelectMany(series => Gen.Elements(Stacking.None, Stacking.Normal, Stacking.Percent).SelectMany(stacking =>
                        Format.SelectMany(format => DateFormat.Select(date => (VisualizationOptions)new ChartOptions(
                            type, x, new(series), type == VisualizationType.Scatter ? Stacking.None : stacking, format, date)))))));

    private static readonly Gen<VisualizationOptions> Pie =
        Column.SelectMany(v => Column.SelectMany(l => Format.Select(f => (VisualizationOptions)new PieOptions(v, l, f))));

    private static readonly Gen<VisualizationOptions> Counter =
        Column.SelectMany(v => Gen.OneOf(Gen.Constant<string?>(null), Column.Select(c => (string?)c))
            .SelectMany(t => Format.Select(f => (VisualizationOptions)new CounterOptions(v, t, f))));

    private static readonly Gen<VisualizationOptions> Pivot =
        DistinctColumns(0, 2 * PivotOptions.MaxGroupColumns).SelectMany(grouped => Gen.Choose(0, grouped.Length).SelectMany(split =>
            Column.SelectMany(c => Gen.Elements(Enum.GetValues<Aggregation>()).Select(a => new PivotValue(c, a)))
                .NonEmptyListOf().Select(values => values.Take(PivotOptions.MaxValues).ToArray())
                .SelectMany(values => Format.Select(f => (VisualizationOptions)new PivotOptions(
                    new(grouped.Take(Math.Min(split, PivotOptions.MaxGroupColumns))),
                    new(grouped.Skip(split).Take(PivotOptions.MaxGroupColumns)),
                    new(values),
                    f)))));

    private static readonly Gen<TableColumn> TableColumnGen =
        Gen.Elements(true, false).SelectMany(visible => Label.SelectMany(label =>
            Gen.Elements(0, 1, 2).SelectMany(which => Format.SelectMany(number => DateFormat.Select(date =>
                new TableColumn("placeholder", visible, label, which == 1 ? number : null, which == 2 ? date : null))))));

    private static readonly Gen<VisualizationOptions> Table =
        DistinctColumns(0, ColumnPool.Length).SelectMany(columns => TableColumnGen.ArrayOf(columns.Length).Select(settings =>
            (VisualizationOptions)new TableOptions(new(columns.Zip(settings, (name, setting) => setting with { Column = name })))));

    private static readonly Gen<VisualizationOptions> AnyOptions = Gen.OneOf(Chart, Pie, Counter, Pivot, Table);

    private static JsonElement Element(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    [Property]
    public Property AnyValidOptions_SerializeThenParse_ToAnEqualValue() =>
        Prop.ForAll(AnyOptions.ToArbitrary(), options =>
            VisualizationOptionsParser.TryParse(options.Type, Element(options.ToJson()), out var parsed, out var errors)
            && errors.Count == 0
            && parsed.Equals(options)
            && parsed.ToJson() == options.ToJson());

    [Property]
    public Property AnUnknownKey_AnywhereInTheOptions_IsRefusedWithItsPath()
    {
        var cases = AnyOptions.SelectMany(options =>
        {
            var objects = Objects(JsonNode.Parse(options.ToJson())!, VisualizationOptionsParser.Root).ToArray();
            return Gen.Choose(0, objects.Length - 1).SelectMany(pick => Gen.Elements("colour", "X_COLUMN", "series ", "legend", "é").Select(key => (options, pick, key)));
        });

        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var root = JsonNode.Parse(c.options.ToJson())!;
            var (node, path) = Objects(root, VisualizationOptionsParser.Root).ElementAt(c.pick);
            node[c.key] = "x";

            var refused = !VisualizationOptionsParser.TryParse(c.options.Type, Element(root.ToJsonString()), out _, out var errors);

            var unknown = errors.ShouldHaveSingleItem();
            return refused && unknown.Code == "visualization.option_unknown" && unknown.Field == $"{path}.{c.key}";
        });
    }

    [Property]
    public Property TheSizeLimit_IsExactlyTheBytesSent()
    {
        var sizes = Gen.Choose(VisualizationOptionsParser.MaxOptionsBytes - 64, VisualizationOptionsParser.MaxOptionsBytes + 64);

        return Prop.ForAll(sizes.ToArbitrary(), size =>
        {
            // A valid table, padded inside with blanks ("é" is two bytes in UTF-8) to exactly `size` bytes.
            const string start = """{"columns":[{"column":"é"}]""";
            var json = start + new string(' ', size - Encoding.UTF8.GetByteCount(start) - 1) + "}";
            Encoding.UTF8.GetByteCount(json).ShouldBe(size);

            var accepted = VisualizationOptionsParser.TryParse(VisualizationType.Table, Element(json), out _, out var errors);

            return size <= VisualizationOptionsParser.MaxOptionsBytes
                ? accepted
                : !accepted && errors.Single().Code == "visualization.options_too_large";
        });
    }

    [Property]
    public Property StaleReferenceDetection_FindsExactlyTheRemovedColumns()
    {
        var cases = AnyOptions.SelectMany(options => Gen.Shuffle(ColumnPool).SelectMany(shuffled =>
            Gen.Choose(0, shuffled.Length).Select(removed => (options, removed: shuffled.Take(removed).ToHashSet(StringComparer.Ordinal)))));

        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var result = ColumnPool.Where(column => !c.removed.Contains(column)).Append("extra column");
            var missing = ColumnReferences.Missing(c.options, result);
            var expected = ColumnReferences.Of(c.options).Where(reference => c.removed.Contains(reference.Column));

            return missing.SequenceEqual(expected)
                && ColumnReferences.Missing(c.options, ColumnPool).Count == 0;
        });
    }

    [Property]
    public Property Parsing_NeverThrows_AndEitherReadsOrSaysWhy()
    {
        var keys = Gen.Elements("x_column", "series", "column", "label", "y_axis", "stacking", "number_format", "decimals", "prefix", "percent",
            "value_column", "label_column", "target_column", "rows", "columns", "values", "aggregation", "visible", "date_format", "x_date_format", "other");
        var leaf = Gen.Elements<JsonNode?>(null, JsonValue.Create("a"), JsonValue.Create(""), JsonValue.Create(3), JsonValue.Create(-1.5),
            JsonValue.Create(true), JsonValue.Create("sum"), JsonValue.Create("right"), JsonValue.Create("YYYY"), JsonValue.Create("percent"));
        var node = Gen.Sized(size => Tree(keys, leaf, Math.Min(size, 6)));

        return Prop.ForAll(node.ToArbitrary(), Gen.Elements(Enum.GetValues<VisualizationType>()).ToArbitrary(), (tree, type) =>
        {
            var json = tree?.ToJsonString() ?? "null";
            var ok = VisualizationOptionsParser.TryParse(type, Element(json), out var parsed, out var errors);
            return ok
                ? errors.Count == 0 && parsed!.Type == type
                : parsed is null && errors.Count > 0 && errors.All(e => e.Code.StartsWith("visualization.", StringComparison.Ordinal) && e.Field!.StartsWith("options", StringComparison.Ordinal));
        });
    }

    private static Gen<JsonNode?> Tree(Gen<string> keys, Gen<JsonNode?> leaf, int depth) =>
        depth <= 0
            ? leaf.Select(l => l?.DeepClone())
            : Gen.OneOf(
                leaf.Select(l => l?.DeepClone()),
                Tree(keys, leaf, depth - 1).ListOf().Select(items => (JsonNode?)new JsonArray([.. items])),
                keys.SelectMany(k => Tree(keys, leaf, depth - 1).Select(v => (k, v))).ListOf().Select(pairs =>
                {
                    var obj = new JsonObject();
                    foreach (var (k, v) in pairs)
                    {
                        obj[k] = v;
                    }

                    return (JsonNode?)obj;
                }));

    /// <summary>Every object in a document with its path, as the parser names paths.</summary>
    private static IEnumerable<(JsonObject Node, string Path)> Objects(JsonNode node, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                yield return (obj, path);
                foreach (var (key, child) in obj.ToArray())
                {
                    if (child is not null)
                    {
                        foreach (var found in Objects(child, $"{path}.{key}"))
                        {
                            yield return found;
                        }
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } item)
                    {
                        foreach (var found in Objects(item, $"{path}[{i}]"))
                        {
                            yield return found;
                        }
                    }
                }

                break;
        }
    }
}
