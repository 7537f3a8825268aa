using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using Loupe.Domain.Common;

namespace Loupe.Domain.Visualizations;

/// <summary>
/// Reads a visualization's options from JSON into the typed record of its type, reporting every
/// broken rule at once, each under its path (<c>options.series[2].column</c>): unknown keys, missing
/// or ill-typed settings, values outside their set or range, lists too long, columns used twice.
/// An optional setting given as JSON null counts as absent. The document is at most
/// <see cref="MaxOptionsBytes"/> bytes of UTF-8 JSON; a larger one is refused before it is read.
/// Whether the named columns exist is a separate check (<see cref="ColumnReferences"/>).
/// </summary>
public static class VisualizationOptionsParser
{
    public const int MaxOptionsBytes = 64 * 1024;
    public const int ColumnNameMaxLength = 1024;
    public const int LabelMaxLength = 200;

    /// <summary>The path every option error starts with.</summary>
    public const string Root = "options";

    private static readonly string[] SeriesChartKeys = ["x_column", "series", "stacking", "number_format", "x_date_format"];
    private static readonly string[] ScatterKeys = ["x_column", "series", "number_format", "x_date_format"];
    private static readonly string[] SeriesKeys = ["column", "label", "y_axis"];
    private static readonly string[] PieKeys = ["value_column", "label_column", "number_format"];
    private static readonly string[] CounterKeys = ["value_column", "target_column", "number_format"];
    private static readonly string[] PivotKeys = ["rows", "columns", "values", "number_format"];
    private static readonly string[] PivotValueKeys = ["column", "aggregation"];
    private static readonly string[] TableKeys = ["columns"];
    private static readonly string[] TableColumnKeys = ["column", "visible", "label", "number_format", "date_format"];
    private static readonly string[] NumberFormatKeys = ["decimals", "prefix", "suffix", "percent"];

    private static readonly string[] StackingNames = ["none", "normal", "percent"];
    private static readonly string[] AxisNames = ["left", "right"];
    private static readonly string[] AggregationNames = ["sum", "count", "avg", "min", "max"];

    public static string StackingName(Stacking stacking) => StackingNames[(int)stacking];

    public static string AggregationName(Aggregation aggregation) => AggregationNames[(int)aggregation];

    /// <summary>The options of a visualization of this type, or every error found (then options is null).</summary>
    public static bool TryParse(
        VisualizationType type,
        JsonElement options,
        [NotNullWhen(true)] out VisualizationOptions? parsed,
        out IReadOnlyList<DomainError> errors)
    {
        parsed = null;
        if (options.ValueKind == JsonValueKind.Undefined)
        {
            // A request that left the options out: every type has a required option, so say which member is missing.
            errors = [VisualizationErrors.OptionRequired(Root)];
            return false;
        }

        if (Encoding.UTF8.GetByteCount(options.GetRawText()) > MaxOptionsBytes)
        {
            errors = [VisualizationErrors.OptionsTooLarge];
            return false;
        }

        var reader = new Reader(type);
        VisualizationOptions? result = type switch
        {
            VisualizationType.Line or VisualizationType.Bar or VisualizationType.Area or VisualizationType.Scatter => reader.Chart(options),
            VisualizationType.Pie => reader.Pie(options),
            VisualizationType.Counter => reader.Counter(options),
            VisualizationType.Pivot => reader.Pivot(options),
            VisualizationType.Table => reader.Table(options),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a visualization type."),
        };
        errors = reader.Errors;
        if (errors.Count > 0 || result is null)
        {
            return false;
        }

        parsed = result;
        return true;
    }

    /// <summary>The options as <see cref="TryParse"/> reads them; throws the first error.</summary>
    public static VisualizationOptions Parse(VisualizationType type, JsonElement options) =>
        TryParse(type, options, out var parsed, out var errors) ? parsed : throw new DomainException(errors[0]);

    /// <summary>Reads one document, collecting errors; a method returns null where its part could not be read.</summary>
    private sealed class Reader(VisualizationType type)
    {
        public List<DomainError> Errors { get; } = [];

        public ChartOptions? Chart(JsonElement element)
        {
            if (!Object(element, Root, type == VisualizationType.Scatter ? ScatterKeys : SeriesChartKeys))
            {
                return null;
            }

            var x = RequiredColumn(element, Root, "x_column");
            var series = List(element, Root, "series", ChartOptions.MaxSeries, "series", required: true, Series);
            var stacking = Enum(element, Root, "stacking", StackingNames, Stacking.None);
            var format = NumberFormatAt(element, Root, "number_format");
            var dateFormat = DateFormat(element, Root, "x_date_format");
            return x is null || series is null ? null : new ChartOptions(type, x, series, stacking, format, dateFormat);
        }

        public PieOptions? Pie(JsonElement element)
        {
            if (!Object(element, Root, PieKeys))
            {
                return null;
            }

            var value = RequiredColumn(element, Root, "value_column");
            var label = RequiredColumn(element, Root, "label_column");
            var format = NumberFormatAt(element, Root, "number_format");
            return value is null || label is null ? null : new PieOptions(value, label, format);
        }

        public CounterOptions? Counter(JsonElement element)
        {
            if (!Object(element, Root, CounterKeys))
            {
                return null;
            }

            var value = RequiredColumn(element, Root, "value_column");
            var target = OptionalColumn(element, Root, "target_column");
            var format = NumberFormatAt(element, Root, "number_format");
            return value is null ? null : new CounterOptions(value, target, format);
        }

        public PivotOptions? Pivot(JsonElement element)
        {
            if (!Object(element, Root, PivotKeys))
            {
                return null;
            }

            var rows = List(element, Root, "rows", PivotOptions.MaxGroupColumns, "row columns", required: false, ColumnItem);
            var columns = List(element, Root, "columns", PivotOptions.MaxGroupColumns, "pivot columns", required: false, ColumnItem);
            var values = List(element, Root, "values", PivotOptions.MaxValues, "values", required: true, PivotValueItem);
            var format = NumberFormatAt(element, Root, "number_format");
            if (rows is not null && columns is not null)
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var (column, path) in rows.Select((c, i) => (c, $"{Root}.rows[{i}]"))
                    .Concat(columns.Select((c, i) => (c, $"{Root}.columns[{i}]"))))
                {
                    if (!seen.Add(column))
                    {
                        Errors.Add(VisualizationErrors.ColumnDuplicate(path, column));
                    }
                }
            }

            return rows is null || columns is null || values is null ? null : new PivotOptions(rows, columns, values, format);
        }

        public TableOptions? Table(JsonElement element)
        {
            if (!Object(element, Root, TableKeys))
            {
                return null;
            }

            var columns = List(element, Root, "columns", TableOptions.MaxColumns, "columns", required: false, TableColumnItem);
            if (columns is not null)
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                for (var i = 0; i < columns.Count; i++)
                {
                    if (!seen.Add(columns[i].Column))
                    {
                        Errors.Add(VisualizationErrors.ColumnDuplicate($"{Root}.columns[{i}].column", columns[i].Column));
                    }
                }
            }

            return columns is null ? null : new TableOptions(columns);
        }

        private ChartSeries? Series(JsonElement element, string path)
        {
            if (!Object(element, path, SeriesKeys))
            {
                return null;
            }

            var column = RequiredColumn(element, path, "column");
            var label = Label(element, path, "label");
            var axis = Enum(element, path, "y_axis", AxisNames, YAxis.Left);
            return column is null ? null : new ChartSeries(column, label, axis);
        }

        private string? ColumnItem(JsonElement element, string path) => ColumnName(element, path);

        private PivotValue? PivotValueItem(JsonElement element, string path)
        {
            if (!Object(element, path, PivotValueKeys))
            {
                return null;
            }

            var column = RequiredColumn(element, path, "column");
            if (!Present(element, "aggregation", out _))
            {
                Errors.Add(VisualizationErrors.OptionRequired($"{path}.aggregation"));
                return null;
            }

            var before = Errors.Count;
            var aggregation = Enum(element, path, "aggregation", AggregationNames, Aggregation.Sum);
            return column is null || Errors.Count > before ? null : new PivotValue(column, aggregation);
        }

        private TableColumn? TableColumnItem(JsonElement element, string path)
        {
            if (!Object(element, path, TableColumnKeys))
            {
                return null;
            }

            var column = RequiredColumn(element, path, "column");
            var visible = Boolean(element, path, "visible", true);
            var label = Label(element, path, "label");
            var format = NumberFormatAt(element, path, "number_format");
            var dateFormat = DateFormat(element, path, "date_format");
            if (format is not null && dateFormat is not null)
            {
                Errors.Add(VisualizationErrors.OptionInvalid($"{path}.date_format", "A column has a number format or a date format, not both."));
            }

            return column is null ? null : new TableColumn(column, visible, label, format, dateFormat);
        }

        private NumberFormat? NumberFormatAt(JsonElement parent, string parentPath, string key)
        {
            var path = $"{parentPath}.{key}";
            if (!Present(parent, key, out var element) || !Object(element, path, NumberFormatKeys))
            {
                return null;
            }

            int? decimals = null;
            if (Present(element, "decimals", out var value))
            {
                if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number is >= 0 and <= NumberFormat.MaxDecimals)
                {
                    decimals = number;
                }
                else
                {
                    Errors.Add(VisualizationErrors.OptionInvalid($"{path}.decimals", $"A whole number from 0 to {NumberFormat.MaxDecimals}."));
                }
            }

            var prefix = Text(element, path, "prefix", NumberFormat.AffixMaxLength, allowEmpty: true);
            var suffix = Text(element, path, "suffix", NumberFormat.AffixMaxLength, allowEmpty: true);
            var percent = Boolean(element, path, "percent", false);
            return new NumberFormat(decimals, prefix, suffix, percent);
        }

        private string? DateFormat(JsonElement parent, string parentPath, string key)
        {
            if (!Present(parent, key, out var element))
            {
                return null;
            }

            if (element.ValueKind == JsonValueKind.String && DateFormats.IsKnown(element.GetString()))
            {
                return element.GetString();
            }

            Errors.Add(VisualizationErrors.OptionInvalid($"{parentPath}.{key}", $"A date format is one of {string.Join(", ", DateFormats.Patterns)}."));
            return null;
        }

        private ValueList<T>? List<T>(
            JsonElement parent, string parentPath, string key, int max, string what, bool required, Func<JsonElement, string, T?> item)
        {
            var path = $"{parentPath}.{key}";
            if (!Present(parent, key, out var element))
            {
                if (required)
                {
                    Errors.Add(VisualizationErrors.OptionRequired(path));
                    return null;
                }

                return new ValueList<T>([]);
            }

            if (element.ValueKind != JsonValueKind.Array)
            {
                Errors.Add(VisualizationErrors.OptionInvalid(path, "A list is expected."));
                return null;
            }

            var length = element.GetArrayLength();
            if (required && length == 0)
            {
                Errors.Add(VisualizationErrors.OptionRequired(path));
            }

            if (length > max)
            {
                Errors.Add(VisualizationErrors.TooMany(path, max, what));
            }

            var items = new List<T>(length);
            var complete = true;
            var index = 0;
            foreach (var child in element.EnumerateArray())
            {
                if (item(child, $"{path}[{index++}]") is { } read)
                {
                    items.Add(read);
                }
                else
                {
                    complete = false;
                }
            }

            return complete ? new ValueList<T>(items) : null;
        }

        private string? RequiredColumn(JsonElement parent, string parentPath, string key)
        {
            if (!Present(parent, key, out var element))
            {
                Errors.Add(VisualizationErrors.OptionRequired($"{parentPath}.{key}"));
                return null;
            }

            return ColumnName(element, $"{parentPath}.{key}");
        }

        private string? OptionalColumn(JsonElement parent, string parentPath, string key) =>
            Present(parent, key, out var element) ? ColumnName(element, $"{parentPath}.{key}") : null;

        private string? ColumnName(JsonElement element, string path)
        {
            if (element.ValueKind == JsonValueKind.String && element.GetString() is { Length: > 0 and <= ColumnNameMaxLength } name
                && !name.Contains('\0', StringComparison.Ordinal))
            {
                return name;
            }

            Errors.Add(VisualizationErrors.OptionInvalid(path, $"A column name: 1 to {ColumnNameMaxLength} characters, without NUL."));
            return null;
        }

        private string? Label(JsonElement parent, string parentPath, string key) =>
            Text(parent, parentPath, key, LabelMaxLength, allowEmpty: false);

        private string? Text(JsonElement parent, string parentPath, string key, int maxLength, bool allowEmpty)
        {
            if (!Present(parent, key, out var element))
            {
                return null;
            }

            if (element.ValueKind == JsonValueKind.String && element.GetString() is { } text
                && text.Length <= maxLength && (allowEmpty || text.Length > 0) && !text.Contains('\0', StringComparison.Ordinal))
            {
                return text;
            }

            Errors.Add(VisualizationErrors.OptionInvalid(
                $"{parentPath}.{key}", $"Text of {(allowEmpty ? 0 : 1)} to {maxLength} characters, without NUL."));
            return null;
        }

        private bool Boolean(JsonElement parent, string parentPath, string key, bool absent)
        {
            if (!Present(parent, key, out var element))
            {
                return absent;
            }

            if (element.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                return element.GetBoolean();
            }

            Errors.Add(VisualizationErrors.OptionInvalid($"{parentPath}.{key}", "true or false."));
            return absent;
        }

        private TEnum Enum<TEnum>(JsonElement parent, string parentPath, string key, string[] names, TEnum absent)
            where TEnum : struct, System.Enum
        {
            if (!Present(parent, key, out var element))
            {
                return absent;
            }

            var index = element.ValueKind == JsonValueKind.String ? Array.IndexOf(names, element.GetString()) : -1;
            if (index >= 0)
            {
                return (TEnum)(object)index;
            }

            Errors.Add(VisualizationErrors.OptionInvalid($"{parentPath}.{key}", $"One of {string.Join(", ", names)}."));
            return absent;
        }

        /// <summary>True when the element is an object; reports each key it does not know.</summary>
        private bool Object(JsonElement element, string path, string[] keys)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                Errors.Add(VisualizationErrors.OptionInvalid(path, "An object is expected."));
                return false;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                if (!keys.Contains(property.Name, StringComparer.Ordinal))
                {
                    Errors.Add(VisualizationErrors.OptionUnknown($"{path}.{property.Name}", type));
                }
                else if (!seen.Add(property.Name))
                {
                    Errors.Add(VisualizationErrors.OptionInvalid($"{path}.{property.Name}", "This option is given twice."));
                }
            }

            return true;
        }

        private static bool Present(JsonElement parent, string key, out JsonElement value) =>
            parent.TryGetProperty(key, out value) && value.ValueKind != JsonValueKind.Null;
    }
}
