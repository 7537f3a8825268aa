using Loupe.Domain.Common;

namespace Loupe.Application.Common.Events;

/// <summary>
/// Reacts to a domain event once the change that raised it has committed (ADR 0046): the unit of work
/// hands each event over after its transaction commits, and never when the save failed or was rolled
/// back. The change is already stored when a listener runs, so a listener's failure is logged and does
/// not fail the request. Every event a domain type raises has at least one listener, registered
/// explicitly beside the feature.
/// </summary>
public interface IDomainEventListener<in TEvent>
    where TEvent : IDomainEvent
{
    Task HandleAsync(TEvent domainEvent, CancellationToken cancellationToken);
}
