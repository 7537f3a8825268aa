using System.Globalization;
using System.Text.RegularExpressions;

namespace Loupe.Domain.Queries.Parameters;

/// <summary>A date range's two dates, both as given (the SQL decides whether the end is inclusive).</summary>
public readonly record struct DateRange(DateOnly Start, DateOnly End);

/// <summary>A value converted to its parameter's type, or why it could not be.</summary>
internal readonly record struct ConvertedValue(object? Value, string? Problem);

/// <summary>
/// Turns a client's <see cref="ParameterValue"/> into the CLR value Npgsql sends natively for the
/// parameter's type: <see cref="string"/>, <see cref="long"/> or <see cref="decimal"/>,
/// <see cref="bool"/>, <see cref="DateOnly"/>, <see cref="DateTime"/> in UTC, or a <see cref="DateRange"/>.
/// Strict about shapes: a number is a JSON number, not a string holding one.
/// </summary>
internal static partial class ParameterValues
{
    public const int TextMaxLength = 10_000;

    private const string DateExample = "2026-01-31";

    public static ConvertedValue Convert(ParameterType type, IReadOnlyList<string> options, ParameterValue value) => type switch
    {
        ParameterType.Text => value is TextValue text ? ToText(text.Value) : Problem("Expected text (a JSON string)."),
        ParameterType.Number => value is NumberValue number ? ToNumber(number.Literal) : Problem("Expected a number (a JSON number)."),
        ParameterType.Boolean => value is BooleanValue boolean ? Ok(boolean.Value) : Problem("Expected true or false."),
        ParameterType.Date => ToDate(value) is { } date ? Ok(date) : Problem($"Expected a date written YYYY-MM-DD, e.g. {DateExample}."),
        ParameterType.DateTime => ToDateTime(value) is { } instant
            ? Ok(instant)
            : Problem("Expected a date and time with an offset (RFC 3339), e.g. 2026-01-31T09:30:00Z."),
        ParameterType.DateRange => ToRange(value),
        ParameterType.Enum => value is TextValue choice && options.Contains(choice.Value, StringComparer.Ordinal)
            ? Ok(choice.Value)
            : Problem($"Expected one of: {Listed(options)}."),
        _ => Problem("This parameter has an unknown type."),
    };

    private static ConvertedValue Ok(object value) => new(value, null);

    // PostgreSQL text cannot hold U+0000: refused here rather than failing in the database.
    private static ConvertedValue ToText(string text) => text switch
    {
        { Length: > TextMaxLength } => Problem($"A text value has at most {TextMaxLength:N0} characters."),
        _ when text.Contains('\0', StringComparison.Ordinal) => Problem("A text value may not contain the NUL character (U+0000)."),
        _ => Ok(text),
    };

    private static ConvertedValue Problem(string problem) => new(null, problem);

    /// <summary>Whole numbers that fit become <see cref="long"/> (so <c>LIMIT</c> and integer columns take them), others <see cref="decimal"/>.</summary>
    private static ConvertedValue ToNumber(string literal)
    {
        if (!decimal.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                ? Problem("The number is out of range: its magnitude must be below 7.9e28.")
                : Problem("Expected a number (a JSON number).");
        }

        return number == decimal.Truncate(number) && number is >= long.MinValue and <= long.MaxValue
            ? Ok((long)number)
            : Ok(number);
    }

    private static DateOnly? ToDate(ParameterValue? value) =>
        value is TextValue text
        && text.Value.Length == 10
        && DateOnly.TryParseExact(text.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;

    private static DateTime? ToDateTime(ParameterValue value)
    {
        if (value is not TextValue text || Rfc3339().Match(text.Value) is not { Success: true } match)
        {
            return null;
        }

        // .NET keeps seven fraction digits; RFC 3339 allows more, which are dropped.
        var fraction = match.Groups["fraction"].Value;
        var normalized = string.Concat(
            match.Groups["date"].Value, "T", match.Groups["time"].Value, fraction.Length > 8 ? fraction[..8] : fraction, match.Groups["offset"].Value.ToUpperInvariant());
        return DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant)
            ? instant.UtcDateTime
            : null;
    }

    private static ConvertedValue ToRange(ParameterValue value)
    {
        const string Shape = $"Expected {{\"start\": \"{DateExample}\", \"end\": \"2026-02-28\"}} (two dates written YYYY-MM-DD).";
        if (value is not RangeValue range || ToDate(range.Start) is not { } start || ToDate(range.End) is not { } end)
        {
            return Problem(Shape);
        }

        return start <= end ? Ok(new DateRange(start, end)) : Problem("The start of the range is after its end.");
    }

    private static string Listed(IReadOnlyList<string> options) =>
        options.Count <= 10 ? string.Join(", ", options) : string.Join(", ", options.Take(10)) + $" (and {options.Count - 10} more)";

    [GeneratedRegex(
        @"^(?<date>[0-9]{4}-[0-9]{2}-[0-9]{2})[Tt](?<time>[0-9]{2}:[0-9]{2}:[0-9]{2})(?<fraction>\.[0-9]+)?(?<offset>[Zz]|[+-][0-9]{2}:[0-9]{2})$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Rfc3339();
}
