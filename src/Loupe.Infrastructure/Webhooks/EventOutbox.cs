using System.Text.Json;
using System.Text.Json.Serialization;
using Loupe.Application.Common.Events;
using Loupe.Application.Common.Security;
using Loupe.Domain.Webhooks;
using Loupe.Infrastructure.Persistence;

namespace Loupe.Infrastructure.Webhooks;

/// <summary>
/// Stages events in the scoped <see cref="LoupeDbContext"/>: its next save inserts them in the same
/// transaction as the rows saved with them (every save runs in a transaction), and a save that fails
/// or a transaction rolled back takes them with it.
/// </summary>
internal sealed class EventOutbox(LoupeDbContext context, ITenantScope tenant, TimeProvider clock) : IEventOutbox
{
    /// <summary>How payloads are written: snake_case names, enums as snake_case text, no nulls left out (a receiver sees every field).</summary>
    internal static readonly JsonSerializerOptions PayloadJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
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

        context.Add(new OutboxEvent
        {
            Id = Guid.CreateVersion7(),
            OrganizationId = organizationId,
            EventType = eventType,
            Payload = JsonSerializer.Serialize(payload, payload.GetType(), PayloadJson),
            OccurredAt = clock.GetUtcNow(),
        });
    }
}
