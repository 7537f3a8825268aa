using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Loupe.Domain.Queries.Parameters;

namespace Loupe.Application.SavedQueries;

/// <summary>
/// The one JSON shape of query parameters, on the wire and in storage. Definitions are
/// <c>{"name", "type", "title", "required", "default", "options"}</c>; a value is a JSON string,
/// number or boolean, or <c>{"start", "end"}</c> for a date range. The runs feature turns a run's
/// <c>parameters</c> object into values with <see cref="ToValues"/> and binds them with
/// <see cref="QueryParameters.Bind"/>.
/// </summary>
public static partial class ParameterJson
{
    /// <summary>A client's JSON value as the domain reads it; JSON null (or nothing) is null.</summary>
    public static ParameterValue? ToValue(JsonElement? element) => element is { } value ? ToValue(value) : null;

    public static ParameterValue? ToValue(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => ParameterValue.OfText(element.GetString()!),
        JsonValueKind.Number => ParameterValue.OfNumber(element.GetRawText()),
        JsonValueKind.True => ParameterValue.OfBoolean(true),
        JsonValueKind.False => ParameterValue.OfBoolean(false),
        JsonValueKind.Object when IsRange(element) => ParameterValue.OfRange(
            element.TryGetProperty("start", out var start) ? ToValue(start) : null,
            element.TryGetProperty("end", out var end) ? ToValue(end) : null),
        JsonValueKind.Object => ParameterValue.Unsupported("an object other than {\"start\", \"end\"}"),
        JsonValueKind.Array => ParameterValue.Unsupported("an array"),
        _ => null,
    };

    /// <summary>A run's <c>parameters</c> object as the values <see cref="QueryParameters.Bind"/> takes (null: none given).</summary>
    public static IReadOnlyDictionary<string, ParameterValue?> ToValues(IReadOnlyDictionary<string, JsonElement>? values) =>
        (values ?? new Dictionary<string, JsonElement>()).ToDictionary(pair => pair.Key, pair => ToValue(pair.Value), StringComparer.Ordinal);

    /// <summary>A value as JSON, the way <see cref="ToValue(JsonElement)"/> reads it back.</summary>
    public static JsonElement? ToJson(ParameterValue? value)
    {
        if (value is null)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, value);
        }

        using var document = JsonDocument.Parse(buffer.ToArray());
        return document.RootElement.Clone();
    }

    /// <summary>Definitions as stored (a JSON array).</summary>
    public static string Serialize(IReadOnlyList<ParameterDefinition> definitions)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var definition in definitions)
            {
                writer.WriteStartObject();
                writer.WriteString("name", definition.Name);
                writer.WriteString("type", definition.Type.ToName());
                if (definition.Title is not null)
                {
                    writer.WriteString("title", definition.Title);
                }

                writer.WriteBoolean("required", definition.Required);
                if (definition.Default is not null)
                {
                    writer.WritePropertyName("default");
                    Write(writer, definition.Default);
                }

                if (definition.Options.Count > 0)
                {
                    writer.WriteStartArray("options");
                    foreach (var option in definition.Options)
                    {
                        writer.WriteStringValue(option);
                    }

                    writer.WriteEndArray();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Definitions read back from storage.</summary>
    /// <exception cref="Domain.Common.DomainException">A stored definition no longer passes the rules.</exception>
    public static IReadOnlyList<ParameterDefinition> Deserialize(string json)
    {
        using var document = JsonDocument.Parse(json);
        return
        [
            .. document.RootElement.EnumerateArray().Select(item =>
            {
                var typeName = item.GetProperty("type").GetString();
                if (!ParameterTypes.TryParse(typeName, out var type))
                {
                    throw new JsonException($"Unknown stored parameter type '{typeName}'.");
                }

                return ParameterDefinition.Create(
                    item.GetProperty("name").GetString(),
                    type,
                    item.TryGetProperty("title", out var title) ? title.GetString() : null,
                    !item.TryGetProperty("required", out var required) || required.GetBoolean(),
                    item.TryGetProperty("default", out var defaultValue) ? ToValue(defaultValue) : null,
                    item.TryGetProperty("options", out var options) ? [.. options.EnumerateArray().Select(o => o.GetString()!)] : null);
            }),
        ];
    }

    private static bool IsRange(JsonElement element) =>
        element.EnumerateObject().All(property => property.Name is "start" or "end");

    private static void Write(Utf8JsonWriter writer, ParameterValue value)
    {
        switch (value)
        {
            case TextValue text:
                writer.WriteStringValue(text.Value);
                break;
            case NumberValue number when JsonNumber().IsMatch(number.Literal):
                writer.WriteRawValue(number.Literal);
                break;
            case NumberValue number:
                writer.WriteStringValue(number.Literal);
                break;
            case BooleanValue boolean:
                writer.WriteBooleanValue(boolean.Value);
                break;
            case RangeValue range:
                writer.WriteStartObject();
                WriteProperty(writer, "start", range.Start);
                WriteProperty(writer, "end", range.End);
                writer.WriteEndObject();
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    private static void WriteProperty(Utf8JsonWriter writer, string name, ParameterValue? value)
    {
        writer.WritePropertyName(name);
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            Write(writer, value);
        }
    }

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex JsonNumber();
}
