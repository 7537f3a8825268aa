using System.Text.Json;
using Loupe.Application.Common.Connectors;

namespace Loupe.Infrastructure.Results;

/// <summary>
/// The columns of a stored result as <c>run_results.columns</c> holds them: <c>[{"name":…,"type":…}]</c>.
/// Types are read in their one spelling (<see cref="ColumnTypeName"/>), results stored before it too.
/// </summary>
internal static class ResultColumnsJson
{
    public static string Write(IReadOnlyList<QueryColumn> columns)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var column in columns)
            {
                json.WriteStartObject();
                json.WriteString("name", column.Name);
                json.WriteString("type", column.TypeName);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <exception cref="InvalidDataException">The text is not a columns array.</exception>
    public static QueryColumn[] Read(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.EnumerateArray()
                .Select(column => new QueryColumn(
                    column.GetProperty("name").GetString() ?? string.Empty,
                    ColumnTypeName.Canonical(column.GetProperty("type").GetString() ?? string.Empty)))
                .ToArray();
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new InvalidDataException("The stored columns of a result are not readable.", exception);
        }
    }
}
