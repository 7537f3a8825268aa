namespace Loupe.Domain.Queries.Parameters;

/// <summary>What a saved query's parameter holds; each type takes one shape of value (see <see cref="ParameterValue"/>).</summary>
public enum ParameterType
{
    /// <summary>Any text, sent as <c>text</c>.</summary>
    Text,

    /// <summary>A number: whole numbers are sent as <c>bigint</c>, others as <c>numeric</c>.</summary>
    Number,

    Boolean,

    /// <summary>A calendar date, <c>YYYY-MM-DD</c>.</summary>
    Date,

    /// <summary>An instant with an offset (RFC 3339), sent in UTC as <c>timestamptz</c>.</summary>
    DateTime,

    /// <summary>Two dates, used in SQL as <c>{{ name.start }}</c> and <c>{{ name.end }}</c>.</summary>
    DateRange,

    /// <summary>One of the definition's options, sent as <c>text</c>.</summary>
    Enum,
}

/// <summary>The wire names of <see cref="ParameterType"/>: <c>text</c> … <c>date_range</c>, <c>enum</c>.</summary>
public static class ParameterTypes
{
    private static readonly Dictionary<string, ParameterType> ByName = new(StringComparer.Ordinal)
    {
        ["text"] = ParameterType.Text,
        ["number"] = ParameterType.Number,
        ["boolean"] = ParameterType.Boolean,
        ["date"] = ParameterType.Date,
        ["datetime"] = ParameterType.DateTime,
        ["date_range"] = ParameterType.DateRange,
        ["enum"] = ParameterType.Enum,
    };

    public static IReadOnlyCollection<string> Names => ByName.Keys;

    public static string ToName(this ParameterType type) => type switch
    {
        ParameterType.Text => "text",
        ParameterType.Number => "number",
        ParameterType.Boolean => "boolean",
        ParameterType.Date => "date",
        ParameterType.DateTime => "datetime",
        ParameterType.DateRange => "date_range",
        ParameterType.Enum => "enum",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown parameter type."),
    };

    /// <summary>Exact, lower-case wire names only.</summary>
    public static bool TryParse(string? name, out ParameterType type) =>
        ByName.TryGetValue(name ?? string.Empty, out type);
}
