using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Net.NetworkInformation;
using System.Text;

namespace Loupe.Infrastructure.Results;

/// <summary>
/// The canonical text of a result value (ADR 0022), written once when the result is stored: integers and
/// decimals in the invariant culture, floating point round-trip (<c>R</c>: <c>NaN</c>, <c>Infinity</c>),
/// <c>true</c>/<c>false</c>, ISO 8601 timestamps (<c>Z</c> for <c>timestamp with time zone</c>), dates
/// <c>yyyy-MM-dd</c>, times <c>HH:mm:ss.FFFFFFF</c>, intervals as ISO 8601 durations (<see cref="IsoDuration"/>), uuids with
/// dashes, bytea as PostgreSQL hex (<c>\x…</c>), arrays as PostgreSQL array literals, everything else
/// (json, text, inet, ranges…) as its own text.
/// </summary>
internal static class CellText
{
    /// <summary>Longest UTF-8 text a fixed-size value formats to (a decimal takes 31 bytes, a timestamp 28).</summary>
    private const int MaxFixedLength = 64;

    private const string TimestampUtcFormat = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'";
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF";
    private const string DateFormat = "yyyy-MM-dd";
    private const string TimeFormat = "HH:mm:ss.FFFFFFF";
    private const string TimeWithZoneFormat = "HH:mm:ss.FFFFFFFzzz";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Characters that make PostgreSQL quote an array element.</summary>
    private static readonly SearchValues<char> ArrayElementSpecials = SearchValues.Create("{}\",\\ \t\n\r\v\f");

    /// <summary>Writes the value's text into <paramref name="destination"/> when it is a fixed-size value; false otherwise.</summary>
    public static bool TryFormatFixed(object value, TextKind kind, Span<byte> destination, out int written)
    {
        switch (value)
        {
            case int number:
                return number.TryFormat(destination, out written, default, Invariant);
            case long number:
                return number.TryFormat(destination, out written, default, Invariant);
            case short number:
                return number.TryFormat(destination, out written, default, Invariant);
            case decimal number:
                return number.TryFormat(destination, out written, default, Invariant);
            case double number:
                return number.TryFormat(destination, out written, "R", Invariant);
            case float number:
                return number.TryFormat(destination, out written, "R", Invariant);
            case bool flag:
                return TryCopy(flag ? "true"u8 : "false"u8, destination, out written);
            case DateTime timestamp:
                return TryFormatTimestamp(timestamp, kind, destination, out written);
            case DateTimeOffset instant:
                return kind == TextKind.TimeWithZone
                    ? instant.TryFormat(destination, out written, TimeWithZoneFormat, Invariant)
                    : TryFormatTimestamp(instant.UtcDateTime, TextKind.TimestampUtc, destination, out written);
            case DateOnly date:
                // 9999-12-31 is a date like any other: Npgsql's infinity conversions are off (ADR 0027).
                return date.TryFormat(destination, out written, DateFormat, Invariant);
            case TimeOnly time:
                return time.TryFormat(destination, out written, TimeFormat, Invariant);
            case TimeSpan span:
                return TryFormatTimeSpan(span, kind, destination, out written);
            case Guid id:
                return id.TryFormat(destination, out written, "D");
            case NpgsqlTypes.NpgsqlInterval interval:
                return TryCopy(IsoDuration.Format(interval.Months, interval.Days, interval.Time), destination, out written);
            case byte number:
                return number.TryFormat(destination, out written, default, Invariant);
            case sbyte number:
                return number.TryFormat(destination, out written, default, Invariant);
            case ushort number:
                return number.TryFormat(destination, out written, default, Invariant);
            case uint number:
                return number.TryFormat(destination, out written, default, Invariant);
            case ulong number:
                return number.TryFormat(destination, out written, default, Invariant);
            default:
                written = 0;
                return false;
        }
    }

    /// <summary>The value's canonical text.</summary>
    public static string ToText(object value, TextKind kind, TextKind elementKind = TextKind.Plain)
    {
        Span<byte> fixedText = stackalloc byte[MaxFixedLength];
        if (TryFormatFixed(value, kind, fixedText, out var written))
        {
            return Encoding.UTF8.GetString(fixedText[..written]);
        }

        return value switch
        {
            string text => text,
            byte[] bytes => ByteaHex(bytes),
            char character => character.ToString(),
            BitArray bits => BitString(bits),
            PhysicalAddress address => MacAddress(address),
            Array array => ArrayLiteral(array, elementKind),
            IFormattable formattable => formattable.ToString(null, Invariant),
            _ => value.ToString() ?? string.Empty,
        };
    }

    /// <summary>Bytes as PostgreSQL's hex output: <c>\x</c> and two lower-case digits per byte.</summary>
    public static string ByteaHex(ReadOnlySpan<byte> bytes) => string.Concat("\\x", Convert.ToHexStringLower(bytes));

    /// <summary>Writes bytes as PostgreSQL hex (<c>\x0102</c>) into a span of exactly <c>2 + 2n</c> bytes.</summary>
    public static void WriteByteaHex(ReadOnlySpan<byte> bytes, Span<byte> destination)
    {
        destination[0] = (byte)'\\';
        destination[1] = (byte)'x';
        Convert.TryToHexStringLower(bytes, destination[2..], out _);
    }

    private static bool TryFormatTimestamp(DateTime timestamp, TextKind kind, Span<byte> destination, out int written)
    {
        // No value stands for infinity: with Npgsql's infinity conversions off (ADR 0027) 0001-01-01 is
        // a timestamp like any other, and the connector reads an infinity as its text.
        if (kind == TextKind.Date)
        {
            return timestamp.TryFormat(destination, out written, DateFormat, Invariant);
        }

        if (kind == TextKind.TimestampUtc || timestamp.Kind == DateTimeKind.Utc)
        {
            return timestamp.TryFormat(destination, out written, TimestampUtcFormat, Invariant);
        }

        if (timestamp.Kind == DateTimeKind.Local)
        {
            return timestamp.ToUniversalTime().TryFormat(destination, out written, TimestampUtcFormat, Invariant);
        }

        return timestamp.TryFormat(destination, out written, TimestampFormat, Invariant);
    }

    private static bool TryFormatTimeSpan(TimeSpan span, TextKind kind, Span<byte> destination, out int written)
    {
        if (kind == TextKind.Time && span >= TimeSpan.Zero && span < TimeSpan.FromDays(1))
        {
            return TimeOnly.FromTimeSpan(span).TryFormat(destination, out written, TimeFormat, Invariant);
        }

        if (kind == TextKind.Time && span == TimeSpan.FromDays(1))
        {
            // PostgreSQL's time allows 24:00:00.
            return TryCopy("24:00:00"u8, destination, out written);
        }

        if (kind == TextKind.Interval)
        {
            return TryCopy(IsoDuration.Format(span), destination, out written);
        }

        return span.TryFormat(destination, out written, "c", Invariant);
    }

    private static bool TryCopy(string text, Span<byte> destination, out int written)
    {
        var fits = Encoding.UTF8.TryGetBytes(text, destination, out written);
        return fits;
    }

    private static bool TryCopy(ReadOnlySpan<byte> text, Span<byte> destination, out int written)
    {
        written = text.TryCopyTo(destination) ? text.Length : 0;
        return written == text.Length;
    }

    private static string BitString(BitArray bits)
    {
        var text = new char[bits.Length];
        for (var i = 0; i < bits.Length; i++)
        {
            text[i] = bits[i] ? '1' : '0';
        }

        return new string(text);
    }

    private static string MacAddress(PhysicalAddress address) =>
        string.Join(':', address.GetAddressBytes().Select(b => b.ToString("x2", Invariant)));

    /// <summary>A PostgreSQL array literal: <c>{1,2,NULL}</c>, <c>{{1,2},{3,4}}</c>, <c>{"a b",""}</c>.</summary>
    private static string ArrayLiteral(Array array, TextKind elementKind)
    {
        var text = new StringBuilder();
        var indices = new int[array.Rank];
        AppendDimension(text, array, elementKind, indices, 0);
        return text.ToString();
    }

    private static void AppendDimension(StringBuilder text, Array array, TextKind elementKind, int[] indices, int dimension)
    {
        text.Append('{');
        var lower = array.GetLowerBound(dimension);
        var upper = array.GetUpperBound(dimension);
        for (var i = lower; i <= upper; i++)
        {
            if (i > lower)
            {
                text.Append(',');
            }

            indices[dimension] = i;
            if (dimension + 1 < array.Rank)
            {
                AppendDimension(text, array, elementKind, indices, dimension + 1);
            }
            else
            {
                AppendElement(text, array.GetValue(indices), elementKind);
            }
        }

        text.Append('}');
    }

    private static void AppendElement(StringBuilder text, object? element, TextKind elementKind)
    {
        if (element is null or DBNull)
        {
            text.Append("NULL");
            return;
        }

        var value = ToText(element, elementKind);
        var quote = value.Length == 0
            || value.AsSpan().IndexOfAny(ArrayElementSpecials) >= 0
            || value.Equals("NULL", StringComparison.OrdinalIgnoreCase);
        if (!quote)
        {
            text.Append(value);
            return;
        }

        text.Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                text.Append('\\');
            }

            text.Append(c);
        }

        text.Append('"');
    }
}
