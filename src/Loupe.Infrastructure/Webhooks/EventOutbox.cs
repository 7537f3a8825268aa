using System.Text.Json;
using System.Text.Json.Serialization;
using Loupe.Application.Common.Events;
using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Security;
using Loupe.Application.Webhooks.Delivery;
using Loupe.Domain.Webhooks;
using Loupe.Infrastructure.Persistence;

namespace Loupe.Infrastructure.Webhooks;

/// <summary>
/// Stages events in the scoped <see cref="LoupeDbContext"/>: its next save inserts them in the same
/// transaction as the rows saved with them (every save runs in a transaction), and a save that fails
/// or a transaction rolled back takes them with it. Each event's fan-out job
/// (<c>webhook.fan_out</c>) is queued in the same unit of work, so a stored event is always delivered.
/// </summary>
internal sealed class EventOutbox(LoupeDbContext context, ITenantScope tenant, IJobScheduler jobs, TimeProvider clock) : IEventOutbox
{
    /// <summary>How payloads are written: snake_case names, enums as snake_case text, no nulls left out (a receiver sees every field).</summary>
    internal static readonly JsonSerializerOptions PayloadJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false), new MicrosecondTimestamps() },
    };

    public void Add(string eventType, Guid organizationId, object payload)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        ArgumentNullException.ThrowIfNull(payload);
        if (!WebhookEvents.IsKnown(eventType))
        {
            throw new ArgumentException($"'{eventType}' is not an event type Loupe sends.", nameof(eventType));
        }

        if (organizationId != tenant.OrganizationId)
        {
            throw new InvalidOperationException("An event is added for the current organization; enter its organization first.");
        }

        var id = Guid.CreateVersion7();
        context.Add(new OutboxEvent
        {
            Id = id,
            OrganizationId = organizationId,
            EventType = eventType,
            Payload = JsonSerializer.Serialize(payload, payload.GetType(), PayloadJson),
            OccurredAt = clock.GetUtcNow(),
        });

        // Its fan-out to the webhooks that want it is queued with it, in the same transaction.
        jobs.Enqueue(new JobRequest(
            WebhookJobKinds.FanOut,
            JsonSerializer.Serialize(new { EventId = id }),
            organizationId,
            JobPriority.Scheduled,
            MaxAttempts: 5));
    }
}

/// <summary>Timestamps in payloads as the API writes them: UTC, microseconds, <c>Z</c>.</summary>
internal sealed class MicrosecondTimestamps : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString()!, System.Globalization.CultureInfo.InvariantCulture);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));
}
