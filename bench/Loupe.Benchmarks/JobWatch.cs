using System.Collections.Concurrent;
using System.Diagnostics;
using Loupe.Application.Common.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace Loupe.Benchmarks;

/// <summary>
/// Sits around every job handler of one worker node: says when a job's handler returned (the engine
/// writes the job's ending right after) and how long each handler took. The handlers themselves are
/// the ones the host registered, created as the container would create them.
/// </summary>
internal sealed class JobWatch
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _handled = new();
    private readonly ConcurrentQueue<(string Kind, TimeSpan Elapsed)> _durations = new();
    private int _count;

    /// <summary>Handlers that returned (or threw) so far.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Completes when the handler of <paramref name="jobId"/> returned (or threw).</summary>
    public Task HandledAsync(Guid jobId, TimeSpan limit) =>
        Signal(jobId).Task.WaitAsync(limit);

    /// <summary>How long the handlers of <paramref name="kind"/> ran, from the engine calling them to their return.</summary>
    public IReadOnlyList<TimeSpan> Durations(string kind) => [.. _durations.Where(d => d.Kind == kind).Select(d => d.Elapsed)];

    /// <summary>Replaces every <see cref="IJobHandler"/> registration with the same handler inside this watch.</summary>
    public void WrapHandlers(IServiceCollection services)
    {
        foreach (var registration in services.Where(d => d.ServiceType == typeof(IJobHandler)).ToList())
        {
            // By type, or by a factory (a handler also resolved as itself, such as the alerts' evaluation).
            Func<IServiceProvider, object> create = registration switch
            {
                { ImplementationType: { } type } => provider => ActivatorUtilities.CreateInstance(provider, type),
                { ImplementationFactory: { } factory } => factory,
                _ => throw new InvalidOperationException("A job handler registered as an instance cannot be wrapped."),
            };
            services.Remove(registration);
            services.Add(new ServiceDescriptor(
                typeof(IJobHandler),
                provider => new Watched((IJobHandler)create(provider), this),
                registration.Lifetime));
        }
    }

    private TaskCompletionSource Signal(Guid jobId) =>
        _handled.GetOrAdd(jobId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private sealed class Watched(IJobHandler inner, JobWatch watch) : IJobHandler
    {
        public string Kind => inner.Kind;

        public async Task HandleAsync(JobContext context, CancellationToken ct)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await inner.HandleAsync(context, ct);
            }
            finally
            {
                watch._durations.Enqueue((inner.Kind, Stopwatch.GetElapsedTime(started)));
                Interlocked.Increment(ref watch._count);
                watch.Signal(context.JobId).TrySetResult();
            }
        }
    }
}
