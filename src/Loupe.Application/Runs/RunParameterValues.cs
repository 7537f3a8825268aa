using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Loupe.Application.Runs;

/// <summary>
/// A run's parameter values as stored: a JSON array of <c>{"t": type, "v": text}</c>, so every attempt
/// sends exactly the values (and CLR types) the first one did. Types: <c>null</c>, <c>text</c>,
/// <c>int</c> (long), <c>dec</c> (decimal), <c>float</c> (double), <c>bool</c>, <c>date</c> (DateOnly),
/// <c>ts</c> (UTC DateTime).
/// </summary>
public static class RunParameterValues
{
    public const string None = "[]";

    public static string Encode(IReadOnlyList<object?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var array = new JsonArray();
        foreach (var value in values)
        {
            var (type, text) = value switch
            {
                null => ("null", null),
                string s => ("text", s),
                long l => ("int", l.ToString(CultureInfo.InvariantCulture)),
                int i => ("int", i.ToString(CultureInfo.InvariantCulture)),
                decimal d => ("dec", d.ToString(CultureInfo.InvariantCulture)),
                double f => ("float", f.ToString("R", CultureInfo.InvariantCulture)),
                bool b => ("bool", b ? "true" : "false"),
                DateOnly date => ("date", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                DateTime time => ("ts", time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)),
                DateTimeOffset time => ("ts", time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)),
                _ => throw new ArgumentException($"A parameter value of type {value.GetType().Name} cannot be stored.", nameof(values)),
            };
            array.Add(new JsonObject { ["t"] = type, ["v"] = text });
        }

        return array.ToJsonString();
    }

    public static IReadOnlyList<object?> Decode(string stored)
    {
        ArgumentException.ThrowIfNullOrEmpty(stored);
        using var document = JsonDocument.Parse(stored);
        var values = new List<object?>();
        foreach (var item in document.RootElement.EnumerateArray())
        {
            var type = item.GetProperty("t").GetString();
            var text = item.GetProperty("v").GetString();
            values.Add(type switch
            {
                "null" => null,
                "text" => text,
                "int" => long.Parse(text!, CultureInfo.InvariantCulture),
                "dec" => decimal.Parse(text!, CultureInfo.InvariantCulture),
                "float" => double.Parse(text!, CultureInfo.InvariantCulture),
                "bool" => text == "true",
                "date" => DateOnly.ParseExact(text!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                "ts" => DateTime.Parse(text!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                _ => throw new FormatException($"Unknown stored parameter type '{type}'."),
            });
        }

        return values;
    }
}
