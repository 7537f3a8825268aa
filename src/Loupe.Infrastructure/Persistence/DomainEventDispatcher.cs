using System.Collections.Concurrent;
using System.Reflection;
using Loupe.Application.Common.Events;
using Loupe.Domain.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Loupe.Infrastructure.Persistence;

/// <summary>
/// Hands committed domain events to their listeners (<see cref="IDomainEventListener{TEvent}"/>), in the order they
/// were raised (ADR 0046). <see cref="LoupeDbContext"/> calls it only after the transaction of the
/// save that made the events true has committed. A listener that fails is logged and the others still
/// run: the change is stored, and the request that made it has succeeded.
/// </summary>
public sealed partial class DomainEventDispatcher(IServiceProvider services, ILogger<DomainEventDispatcher> logger)
{
    private static readonly ConcurrentDictionary<Type, Func<DomainEventDispatcher, IDomainEvent, CancellationToken, Task>> Dispatchers = new();

    private static readonly MethodInfo DispatchOneMethod =
        typeof(DomainEventDispatcher).GetMethod(nameof(DispatchOneAsync), BindingFlags.NonPublic | BindingFlags.Instance)!;

    public async Task DispatchAsync(IReadOnlyList<IDomainEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var domainEvent in events)
        {
            var dispatch = Dispatchers.GetOrAdd(
                domainEvent.GetType(),
                type => DispatchOneMethod.MakeGenericMethod(type).CreateDelegate<Func<DomainEventDispatcher, IDomainEvent, CancellationToken, Task>>());
            await dispatch(this, domainEvent, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task DispatchOneAsync<TEvent>(IDomainEvent domainEvent, CancellationToken cancellationToken)
        where TEvent : IDomainEvent
    {
        foreach (var handler in services.GetServices<IDomainEventListener<TEvent>>())
        {
            try
            {
                await handler.HandleAsync((TEvent)domainEvent, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception failure) when (failure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogHandlerFailed(logger, failure, typeof(TEvent).Name, handler.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The listener {Listener} of the committed event {Event} failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception failure, string @event, string listener);
}
