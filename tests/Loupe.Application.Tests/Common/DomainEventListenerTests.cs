using Loupe.Application.Common.Events;
using Loupe.Domain.Common;
using Microsoft.Extensions.DependencyInjection;

namespace Loupe.Application.Tests.Common;

/// <summary>No event is raised that nothing listens to (ADR 0046): each domain event type has a listener the application registers.</summary>
public sealed class DomainEventListenerTests
{
    [Fact]
    public void EveryDomainEvent_HasAListenerRegisteredByTheApplication()
    {
        var services = new ServiceCollection().AddApplication();
        var events = typeof(IDomainEvent).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IDomainEvent).IsAssignableFrom(t))
            .ToList();

        events.ShouldNotBeEmpty();
        events.Where(e => !services.Any(d => d.ServiceType == typeof(IDomainEventListener<>).MakeGenericType(e)))
            .Select(e => e.Name)
            .ShouldBeEmpty();
    }
}
