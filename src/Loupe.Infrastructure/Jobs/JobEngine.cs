using System.Diagnostics;
using Loupe.Application.Common.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Loupe.Infrastructure.Jobs;

/// <summary>
/// One node of the job engine (ADR 0021), made of its parts: the <see cref="JobClaimer"/> claims due
/// jobs and the <see cref="JobRunner"/> runs each; the <see cref="LeaseKeeper"/> renews their leases and
/// the <see cref="LeaseSweeper"/> takes back other nodes' expired ones; the <see cref="JobListener"/>
/// wakes the claim loop and passes cancellations on; on shutdown the <see cref="JobDrainer"/> lets
/// running jobs finish, then cancels them and hands them back. What the node holds is in
/// <see cref="HeldJobs"/>.
/// </summary>
internal sealed class JobEngine : BackgroundService
{
    private readonly JobListener _listener;
    private readonly JobMetrics _metrics;
    private readonly IServiceScopeFactory _scopes;
    private readonly JobStore _store;
    private readonly JobsOptions _options;
    private readonly ILogger _logger;
    private readonly WakeSignal _wake = new();
    private readonly HeldJobs _held;
    private readonly NodeContact _contact;
    private readonly JobClaimer _claimer;
    private readonly LeaseKeeper _leases;
    private readonly LeaseSweeper _sweeper;
    private readonly JobDrainer _drainer;

    public JobEngine(
        JobStore store,
        JobListener listener,
        JobMetrics metrics,
        IJobFailureReporter failures,
        IServiceScopeFactory scopes,
        IOptions<JobsOptions> options,
        TimeProvider time,
        ILogger<JobEngine> logger)
    {
        _listener = listener;
        _metrics = metrics;
        _scopes = scopes;
        _store = store;
        _options = options.Value;
        _logger = logger;
        Node = store.Node;
        _held = new HeldJobs(time, logger);
        _contact = new NodeContact(time, TimeSpan.FromTicks(Math.Max(Math.Max(_options.Poll.Ticks * 5, _options.Sweep.Ticks * 3), TimeSpan.FromSeconds(15).Ticks)));
        var runner = new JobRunner(store, _held, _wake, metrics, failures, scopes, _options, time, logger);
        _claimer = new JobClaimer(store, _held, runner, _wake, _contact, metrics, _options, time, logger);
        _leases = new LeaseKeeper(store, _held, _contact, _options, time, logger);
        _sweeper = new LeaseSweeper(store, _held, _contact, metrics, failures, _options, time, logger);
        _drainer = new JobDrainer(store, _held, _options, time, logger);
    }

    public string Node { get; }

    /// <summary>Whether a claim, heartbeat or sweep reached the database recently (for the readiness check).</summary>
    public bool IsHealthy => _contact.IsRecent;

    public int RunningCount => _held.Count;

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        CheckHandlers();
        _metrics.ObserveRunning(() => _held.Count);
        await RegisterAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The engine's loops belong to no request: whatever activity started the host is not their parent.
        Activity.Current = null;
        var queues = string.Join(',', _options.EffectiveQueues);
        _logger.LogStarted(Node, _options.Concurrency, queues);
        using var background = new CancellationTokenSource();
        var loops = new[]
        {
            Task.Run(() => _listener.RunAsync(_wake.Set, _held.Cancel, background.Token), CancellationToken.None),
            Task.Run(() => _leases.RunAsync(background.Token), CancellationToken.None),
            Task.Run(() => _sweeper.RunAsync(background.Token), CancellationToken.None),
        };
        try
        {
            await _claimer.RunAsync(stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            // Heartbeats and cancellations go on while the running jobs drain.
            await _drainer.DrainAsync().ConfigureAwait(false);
            await background.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(loops).ConfigureAwait(false);
            await UnregisterAsync().ConfigureAwait(false);
            _logger.LogStopped(Node);
        }
    }

    /// <summary>
    /// The node's first beat: it is in the registry before the host has started. If the database does not
    /// answer within a few seconds, the first sweep registers it.
    /// </summary>
    private async Task RegisterAsync(CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await _store.BeatAsync(_held.Count, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception failure) when (failure is OperationCanceledException || Persistence.DatabaseFailures.IsDatabaseFailure(failure))
        {
            _logger.LogRegistryFailed(Node, failure.GetType().Name);
        }
    }

    /// <summary>A clean stop leaves the registry; if that fails, the node shows as lost and is forgotten later.</summary>
    private async Task UnregisterAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _store.RemoveNodeAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception failure) when (failure is OperationCanceledException || Persistence.DatabaseFailures.IsDatabaseFailure(failure))
        {
            _logger.LogRegistryFailed(Node, failure.GetType().Name);
        }
    }

    /// <summary>Two handlers of one kind would make the choice arbitrary: refuse to start.</summary>
    private void CheckHandlers()
    {
        using var scope = _scopes.CreateScope();
        var duplicates = scope.ServiceProvider.GetServices<IJobHandler>()
            .GroupBy(h => h.Kind, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => g.Key)
            .ToList();
        if (duplicates.Count > 0)
        {
            throw new InvalidOperationException($"More than one job handler is registered for the kind(s) {string.Join(", ", duplicates)}.");
        }
    }
}
