using Loupe.Application.Common.Connectors;
using Npgsql;
using NpgsqlTypes;

namespace Loupe.Infrastructure.Connectors.Postgres;

/// <summary>
/// Reads one value of a result row. Npgsql's default reading covers nearly everything; where it
/// cannot, a second way is tried:
/// <list type="bullet">
/// <item>an array of a value type holding NULL elements (<c>{1,NULL,3}</c>) is read with nullable
/// elements, and the column is read that way from then on;</item>
/// <item>a <c>numeric</c> beyond <see cref="decimal"/> (more than 28 digits, <c>NaN</c>, <c>±Infinity</c>) is
/// read from its binary form into the text PostgreSQL prints for it (<see cref="PostgresNumericText"/>).</item>
/// </list>
/// Intervals are always read whole (<see cref="NpgsqlInterval"/>: months, days and time; a <see cref="TimeSpan"/>
/// holds no months and turns 26 hours into a day). What is still unreadable (a multi-dimensional array with
/// NULLs, an array of numerics holding <c>NaN</c>) fails the run with <see cref="QueryExecutionException.UnreadableValueCode"/>,
/// naming the column and how to see it (a cast to text).
/// </summary>
internal sealed class PostgresValues
{
    private static readonly Dictionary<string, Func<NpgsqlDataReader, int, object>> NullableArrays = new(StringComparer.Ordinal)
    {
        ["smallint"] = NullableArray<short>,
        ["integer"] = NullableArray<int>,
        ["bigint"] = NullableArray<long>,
        ["numeric"] = NullableArray<decimal>,
        ["money"] = NullableArray<decimal>,
        ["real"] = NullableArray<float>,
        ["double precision"] = NullableArray<double>,
        ["boolean"] = NullableArray<bool>,
        ["uuid"] = NullableArray<Guid>,
        ["date"] = NullableArray<DateTime>,
        ["timestamp with time zone"] = NullableArray<DateTime>,
        ["timestamp without time zone"] = NullableArray<DateTime>,
        ["time without time zone"] = NullableArray<TimeSpan>,
        ["interval"] = NullableArray<NpgsqlInterval>,
        ["oid"] = NullableArray<uint>,
    };

    /// <summary>Per column, the way it is read when Npgsql's default is not (intervals), or failed for good (arrays with NULLs).</summary>
    private Func<NpgsqlDataReader, int, object>?[]? _readers;

    public object Read(NpgsqlDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _readers ??= ChosenReaders(reader);
        if (_readers[ordinal] is { } known)
        {
            return ReadOrExplain(known, reader, ordinal);
        }

        try
        {
            return reader.GetValue(ordinal);
        }
        catch (Exception failure) when (failure is InvalidCastException or OverflowException)
        {
            var type = BaseType(reader.GetDataTypeName(ordinal));
            if (type.EndsWith("[]", StringComparison.Ordinal) && NullableArrays.TryGetValue(type[..^2], out var array))
            {
                _readers[ordinal] = array;
                return ReadOrExplain(array, reader, ordinal);
            }

            if (type == "numeric")
            {
                return ReadOrExplain(NumericText, reader, ordinal);
            }

            if (Infinity(reader, ordinal, type) is { } infinity)
            {
                return infinity;
            }

            throw Unreadable(reader, ordinal);
        }
    }

    /// <summary>Intervals as <see cref="NpgsqlInterval"/>s; every other column by Npgsql's default.</summary>
    private static Func<NpgsqlDataReader, int, object>?[] ChosenReaders(NpgsqlDataReader reader)
    {
        var readers = new Func<NpgsqlDataReader, int, object>?[reader.FieldCount];
        for (var i = 0; i < readers.Length; i++)
        {
            readers[i] = BaseType(reader.GetDataTypeName(i)) switch
            {
                "interval" => static (r, o) => r.GetFieldValue<NpgsqlInterval>(o),
                "interval[]" => NullableArrays["interval"],
                _ => null,
            };
        }

        return readers;
    }

    /// <summary>A numeric's exact text, from its binary form.</summary>
    private static string NumericText(NpgsqlDataReader reader, int ordinal)
    {
        using var stream = reader.GetStream(ordinal);
        using var binary = new MemoryStream();
        stream.CopyTo(binary);
        return PostgresNumericText.Format(binary.GetBuffer().AsSpan(0, (int)binary.Length));
    }

    private static object ReadOrExplain(Func<NpgsqlDataReader, int, object> read, NpgsqlDataReader reader, int ordinal)
    {
        try
        {
            return read(reader, ordinal);
        }
        catch (Exception failure) when (failure is InvalidCastException or OverflowException)
        {
            throw Unreadable(reader, ordinal);
        }
    }

    /// <summary>
    /// With Npgsql's infinity conversions off (ADR 0027) a date or timestamp holding <c>infinity</c> or
    /// <c>-infinity</c> cannot be read as a date; its raw value (PostgreSQL stores them as the largest and
    /// smallest integer) says which, and the cell is the text PostgreSQL itself prints.
    /// </summary>
    private static string? Infinity(NpgsqlDataReader reader, int ordinal, string type)
    {
        try
        {
            return type switch
            {
                "date" => reader.GetFieldValue<int>(ordinal) switch
                {
                    int.MaxValue => "infinity",
                    int.MinValue => "-infinity",
                    _ => null,
                },
                "timestamp with time zone" or "timestamp without time zone" => reader.GetFieldValue<long>(ordinal) switch
                {
                    long.MaxValue => "infinity",
                    long.MinValue => "-infinity",
                    _ => null,
                },
                _ => null,
            };
        }
        catch (InvalidCastException)
        {
            return null;
        }
    }

    private static T?[] NullableArray<T>(NpgsqlDataReader reader, int ordinal)
        where T : struct => reader.GetFieldValue<T?[]>(ordinal);

    /// <summary><c>numeric(10,2)</c> → <c>numeric</c>; <c>numeric(10,2)[]</c> → <c>numeric[]</c>.</summary>
    private static string BaseType(string name)
    {
        var open = name.IndexOf('(', StringComparison.Ordinal);
        if (open < 0)
        {
            return name;
        }

        var close = name.IndexOf(')', open);
        return close < 0 ? name[..open] : string.Concat(name.AsSpan(0, open), name.AsSpan(close + 1));
    }

    private static QueryExecutionException Unreadable(NpgsqlDataReader reader, int ordinal) => new(
        QueryExecutionException.UnreadableValueCode,
        $"Column \"{reader.GetName(ordinal)}\" holds a {reader.GetDataTypeName(ordinal)} value Loupe cannot read " +
        "(a multi-dimensional array with NULLs, or an array of numerics holding NaN or Infinity). " +
        "Cast the column to text in the query to see it.");
}
