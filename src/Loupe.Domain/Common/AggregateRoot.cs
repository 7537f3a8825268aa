namespace Loupe.Domain.Common;

/// <summary>
/// The root of a consistency boundary. It records the domain events its methods raise; the
/// persistence layer hands them to their listeners only after the save that made them true has
/// committed, and drops them when that save fails (ADR 0046).
/// </summary>
public abstract class AggregateRoot : Entity
{
    private readonly List<IDomainEvent> _domainEvents = [];

    protected AggregateRoot(Guid id)
        : base(id)
    {
    }

    public IReadOnlyCollection<IDomainEvent> DomainEvents => _domainEvents.AsReadOnly();

    protected void Raise(IDomainEvent domainEvent) => _domainEvents.Add(domainEvent);

    /// <summary>Hands over the recorded events and forgets them, so each is published once.</summary>
    public IReadOnlyList<IDomainEvent> DequeueDomainEvents()
    {
        var events = _domainEvents.ToArray();
        _domainEvents.Clear();
        return events;
    }
}
