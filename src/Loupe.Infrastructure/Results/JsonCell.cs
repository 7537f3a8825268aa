using System.Text.Json;

namespace Loupe.Infrastructure.Results;

/// <summary>
/// Whether a cell goes into JSON as its own text (a number, a boolean, a JSON value) or as a string
/// (ADR 0044). One rule for result pages and the JSON export, so that what a browser's <c>JSON.parse</c>
/// reads is the value itself: a number only when a double holds it exactly, a JSON column's value as JSON.
/// </summary>
internal static class JsonCell
{
    /// <summary>The largest integer a double holds together with all smaller ones: 2^53 − 1.</summary>
    internal const long MaxSafeInteger = 9_007_199_254_740_991;

    /// <summary>
    /// Decimals of at most this many significant digits survive a trip through a double (a double holds
    /// 15 decimal digits exactly).
    /// </summary>
    internal const int MaxSafeDigits = 15;

    /// <summary>How deep a JSON cell may nest and still be sent as JSON (a page itself takes three levels of 64).</summary>
    internal const int MaxJsonDepth = 32;

    private static readonly JsonReaderOptions JsonCellOptions = new() { MaxDepth = MaxJsonDepth };

    /// <summary>True when the cell's text is written into JSON as it is; false when it is written as a string.</summary>
    public static bool IsLiteral(ReadOnlySpan<byte> text, JsonKind kind) => kind switch
    {
        JsonKind.Number => JsonNumber.IsValid(text),
        JsonKind.Integer => IsSafeInteger(text) || IsSafeFraction(text),
        JsonKind.Decimal => JsonNumber.IsValid(text) && SignificantDigits(text) <= MaxSafeDigits,
        JsonKind.Boolean => text.SequenceEqual("true"u8) || text.SequenceEqual("false"u8),
        JsonKind.Json => IsJson(text),
        _ => false,
    };

    /// <summary>An integer JSON number (no fraction, no exponent) whose magnitude is at most 2^53 − 1.</summary>
    internal static bool IsSafeInteger(ReadOnlySpan<byte> text)
    {
        if (!JsonNumber.IsValid(text) || text.IndexOfAny((byte)'.', (byte)'e', (byte)'E') >= 0)
        {
            return false;
        }

        var digits = text[0] == '-' ? text[1..] : text;
        if (digits.Length < 16)
        {
            return true;
        }

        // Sixteen digits may or may not fit (the bound has sixteen); more never do.
        return digits.Length == 16 && long.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var magnitude)
            && magnitude <= MaxSafeInteger;
    }

    /// <summary>A number with a fraction or an exponent in an integer column (SQLite keeps what it is given) follows the decimal rule.</summary>
    private static bool IsSafeFraction(ReadOnlySpan<byte> text) =>
        text.IndexOfAny((byte)'.', (byte)'e', (byte)'E') >= 0 && JsonNumber.IsValid(text) && SignificantDigits(text) <= MaxSafeDigits;

    /// <summary>
    /// The significant digits of a JSON number: from its first non-zero digit to its last digit, trailing
    /// zeros included (a numeric's scale is part of its value's text).
    /// </summary>
    internal static int SignificantDigits(ReadOnlySpan<byte> text)
    {
        var count = 0;
        var started = false;
        foreach (var c in text)
        {
            if (c is (byte)'e' or (byte)'E')
            {
                break;
            }

            if (c is < (byte)'0' or > (byte)'9')
            {
                continue;
            }

            started |= c != '0';
            if (started)
            {
                count++;
            }
        }

        return count;
    }

    private static bool IsJson(ReadOnlySpan<byte> text)
    {
        var reader = new Utf8JsonReader(text, JsonCellOptions);
        try
        {
            var any = false;
            while (reader.Read())
            {
                any = true;
            }

            return any;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
