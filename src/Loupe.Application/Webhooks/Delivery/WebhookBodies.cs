using System.Globalization;
using System.Text.Json;

namespace Loupe.Application.Webhooks.Delivery;

/// <summary>
/// The JSON body of a delivery: <c>{"event_id", "type", "occurred_at", "organization_id", "data"}</c>,
/// where <c>data</c> is the event's payload as stored. Built once per attempt and signed as sent.
/// </summary>
public static class WebhookBodies
{
    /// <summary>The type of the event <c>POST /webhooks/{id}/test</c> sends; never stored, never subscribed to.</summary>
    public const string TestEventType = "webhook.test";

    public static byte[] Build(Guid eventId, string eventType, Guid organizationId, DateTimeOffset occurredAt, string dataJson)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("event_id", eventId);
            writer.WriteString("type", eventType);
            writer.WriteString("occurred_at", occurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
            writer.WriteString("organization_id", organizationId);
            writer.WritePropertyName("data");
            writer.WriteRawValue(dataJson);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
