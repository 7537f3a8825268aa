using System.Text.Json;

namespace Loupe.Application.AdminJobs;

/// <summary>
/// What of a job's payload an admin may see: per kind, the fields listed here and nothing else, and of
/// those only values that are ids or whole numbers. A payload may hold an email address, a token, SQL or
/// parameter values; none of it is ever shown — an unknown kind shows nothing, and a listed field whose
/// value is text of any other shape is left out as well.
/// </summary>
public static class JobPayloadAllowList
{
    /// <summary>Per kind, each payload field (as stored, matched ignoring case) with the name it is shown under.</summary>
    private static readonly Dictionary<string, (string Stored, string Shown)[]> Fields = new(StringComparer.Ordinal)
    {
        ["query.run"] = [("RunId", "run_id")],
        ["alert.evaluate"] = [("RunId", "run_id")],
        ["webhook.deliver"] = [("DeliveryId", "delivery_id"), ("Attempt", "attempt")],
        ["webhook.fan_out"] = [("EventId", "event_id")],
    };

    /// <summary>The fields of the payload that may be shown, by their shown name.</summary>
    public static IReadOnlyDictionary<string, string> Visible(string kind, string payload)
    {
        var shown = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!Fields.TryGetValue(kind, out var fields))
        {
            return shown;
        }

        try
        {
            using var document = JsonDocument.Parse(payload);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return shown;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                foreach (var (stored, name) in fields)
                {
                    if (string.Equals(property.Name, stored, StringComparison.OrdinalIgnoreCase) && SafeValue(property.Value) is { } value)
                    {
                        shown[name] = value;
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: nothing of it is shown.
        }

        return shown;
    }

    /// <summary>A value that cannot carry a secret: an id, or a whole number.</summary>
    private static string? SafeValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String when Guid.TryParse(value.GetString(), out var id) => id.ToString(),
        JsonValueKind.Number when value.TryGetInt64(out var number) => number.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };
}
