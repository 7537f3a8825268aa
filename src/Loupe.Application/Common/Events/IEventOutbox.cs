namespace Loupe.Application.Common.Events;

/// <summary>
/// The events Loupe tells the world about (webhooks), written by the same transaction as the change
/// that causes them, so an event exists if and only if its change committed: none is lost when a
/// node dies after the commit, none is sent for a change that rolled back.
/// </summary>
public interface IEventOutbox
{
    /// <summary>
    /// Stages one event in the current unit of work; the next <c>SaveChangesAsync</c> inserts it in its
    /// transaction. <paramref name="payload"/> is serialized as snake_case JSON and must hold ids and
    /// summaries only: never SQL, parameter values, connection details or secrets.
    /// </summary>
    /// <param name="eventType">One of <c>WebhookEvents.All</c>.</param>
    /// <param name="organizationId">The current organization (an event of another is refused).</param>
    /// <exception cref="ArgumentException">The event type is not one of <c>WebhookEvents.All</c>.</exception>
    /// <exception cref="InvalidOperationException">The organization is not the current one.</exception>
    void Add(string eventType, Guid organizationId, object payload);
}
