namespace Loupe.Domain.Common;

/// <summary>Something that happened in the domain. Events are immutable records.</summary>
public interface IDomainEvent
{
    DateTimeOffset OccurredAt { get; }
}
