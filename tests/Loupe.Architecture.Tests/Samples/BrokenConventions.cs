// Deliberately broken (and a few well-formed) domain events: the domain-event rule's test runs it
// over this namespace and checks it reports the broken one and spares the good ones.
using Loupe.Domain.Common;

namespace Loupe.Architecture.Tests.Samples.Domain;

/// <summary>Broken: not sealed, public setter, internal setter, public writable field.</summary>
public class ThingRenamed : IDomainEvent
{
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1051", Justification = "The mutable field is the violation under test.")]
    public string? PreviousName;

    public DateTimeOffset OccurredAt { get; set; }

    public string Name { get; internal set; } = string.Empty;
}

public sealed record ThingArchived(Guid ThingId, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed class ThingCreated : IDomainEvent
{
    public required DateTimeOffset OccurredAt { get; init; }
}
