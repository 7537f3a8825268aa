using Loupe.Domain.Common;

namespace Loupe.Infrastructure.Webhooks;

/// <summary>
/// A row of <c>outbox_events</c> (migration 0022): one event to tell the organization's webhooks
/// about. Added by <see cref="EventOutbox"/> to the unit of work of the change that causes it, so
/// both are written by one transaction; never changed afterwards.
/// </summary>
internal sealed class OutboxEvent : ITenantOwned
{
    public Guid Id { get; init; }

    public Guid OrganizationId { get; init; }

    /// <summary>One of <c>WebhookEvents.All</c>.</summary>
    public string EventType { get; init; } = string.Empty;

    /// <summary>The event's data as snake_case JSON (ids and summaries only).</summary>
    public string Payload { get; init; } = "{}";

    public DateTimeOffset OccurredAt { get; init; }
}
