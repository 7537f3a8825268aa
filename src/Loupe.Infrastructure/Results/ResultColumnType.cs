using System.Text;

namespace Loupe.Infrastructure.Results;

/// <summary>How a column's values are written as text when their CLR type alone does not say (ADR 0022).</summary>
internal enum TextKind
{
    /// <summary>By the value's CLR type only.</summary>
    Plain,

    /// <summary><c>timestamp with time zone</c>: UTC, ISO 8601 with <c>Z</c>.</summary>
    TimestampUtc,

    /// <summary><c>timestamp without time zone</c>: ISO 8601 without an offset.</summary>
    Timestamp,

    /// <summary><c>date</c>: <c>yyyy-MM-dd</c>.</summary>
    Date,

    /// <summary><c>time without time zone</c>: <c>HH:mm:ss.FFFFFFF</c>.</summary>
    Time,

    /// <summary><c>time with time zone</c>: <c>HH:mm:ss.FFFFFFF</c> and the offset.</summary>
    TimeWithZone,

    /// <summary><c>interval</c>: an ISO 8601 duration as PostgreSQL's <c>iso_8601</c> interval style writes it.</summary>
    Interval,
}

/// <summary>How a column's cells appear in JSON (result pages and the JSON export, ADR 0044).</summary>
internal enum JsonKind
{
    /// <summary>A JSON string (everything not numeric, boolean or JSON).</summary>
    String,

    /// <summary>Floating point: a JSON number when the cell is one; <c>NaN</c> and <c>±Infinity</c> stay strings.</summary>
    Number,

    /// <summary>An integer: a JSON number while a double holds it exactly (|n| ≤ 2^53 − 1), else a string of its digits.</summary>
    Integer,

    /// <summary>An exact decimal: a JSON number up to 15 significant digits, else a string of its exact text (<c>NaN</c> too).</summary>
    Decimal,

    /// <summary><c>true</c> or <c>false</c> when the cell is one of them.</summary>
    Boolean,

    /// <summary><c>json</c>/<c>jsonb</c>: the cell as a JSON value when it is one (nested at most 32 deep), else a string.</summary>
    Json,
}

/// <summary>
/// Reads a column's type name as the connector reported it (<c>numeric(10, 2)</c>, <c>timestamp with time
/// zone</c>, a SQLite declared type such as <c>INTEGER</c>) into what formatting needs.
/// </summary>
internal static class ResultColumnType
{
    private static readonly Dictionary<string, JsonKind> JsonKinds = new(StringComparer.Ordinal)
    {
        ["smallint"] = JsonKind.Integer,
        ["integer"] = JsonKind.Integer,
        ["int"] = JsonKind.Integer,
        ["int2"] = JsonKind.Integer,
        ["int4"] = JsonKind.Integer,
        ["int8"] = JsonKind.Integer,
        ["bigint"] = JsonKind.Integer,
        ["numeric"] = JsonKind.Decimal,
        ["decimal"] = JsonKind.Decimal,
        ["real"] = JsonKind.Number,
        ["float4"] = JsonKind.Number,
        ["float8"] = JsonKind.Number,
        ["double precision"] = JsonKind.Number,
        ["double"] = JsonKind.Number,
        ["float"] = JsonKind.Number,
        ["boolean"] = JsonKind.Boolean,
        ["bool"] = JsonKind.Boolean,
        ["json"] = JsonKind.Json,
        ["jsonb"] = JsonKind.Json,
    };

    private static readonly Dictionary<string, TextKind> TextKinds = new(StringComparer.Ordinal)
    {
        ["timestamp with time zone"] = TextKind.TimestampUtc,
        ["timestamptz"] = TextKind.TimestampUtc,
        ["timestamp without time zone"] = TextKind.Timestamp,
        ["timestamp"] = TextKind.Timestamp,
        ["datetime"] = TextKind.Timestamp,
        ["date"] = TextKind.Date,
        ["time without time zone"] = TextKind.Time,
        ["time"] = TextKind.Time,
        ["time with time zone"] = TextKind.TimeWithZone,
        ["timetz"] = TextKind.TimeWithZone,
        ["interval"] = TextKind.Interval,
    };

    public static JsonKind JsonKindOf(string typeName) =>
        JsonKinds.TryGetValue(Normalize(typeName), out var kind) ? kind : JsonKind.String;

    public static TextKind TextKindOf(string typeName) =>
        TextKinds.TryGetValue(Normalize(typeName), out var kind) ? kind : TextKind.Plain;

    /// <summary>The element type of an array type (<c>integer[]</c> → <c>integer</c>), or null when it is not one.</summary>
    public static string? ElementTypeOf(string typeName)
    {
        var normalized = Normalize(typeName);
        var bracket = normalized.IndexOf('[', StringComparison.Ordinal);
        return bracket > 0 ? normalized[..bracket].TrimEnd() : null;
    }

    /// <summary>Lower case, type modifiers (<c>(10, 2)</c>) removed, single spaces.</summary>
    internal static string Normalize(string typeName)
    {
        var text = new StringBuilder(typeName.Length);
        var depth = 0;
        var pendingSpace = false;
        foreach (var c in typeName)
        {
            if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (depth > 0)
            {
                continue;
            }
            else if (char.IsWhiteSpace(c))
            {
                pendingSpace = text.Length > 0;
            }
            else
            {
                if (pendingSpace && c != '[')
                {
                    text.Append(' ');
                }

                pendingSpace = false;
                text.Append(char.ToLowerInvariant(c));
            }
        }

        return text.ToString();
    }
}
