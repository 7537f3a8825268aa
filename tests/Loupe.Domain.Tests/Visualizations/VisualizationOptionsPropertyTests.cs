using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Domain.Visualizations;
using static Loupe.Domain.Tests.Visualizations.VisualizationOptionsGenerators;

namespace Loupe.Domain.Tests.Visualizations;

public sealed class VisualizationOptionsPropertyTests
{
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
