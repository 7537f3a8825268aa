namespace Loupe.Application.Common.Events;

/// <summary>Reads back the events <see cref="IEventOutbox"/> stored, for their delivery (current organization only).</summary>
public interface IOutboxEvents
{
    Task<OutboxEventRecord?> FindAsync(Guid id, CancellationToken ct);
}

/// <param name="Payload">The event's snake_case JSON.</param>
public sealed record OutboxEventRecord(Guid Id, Guid OrganizationId, string EventType, string Payload, DateTimeOffset OccurredAt);
