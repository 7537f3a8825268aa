using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Persistence;
using Loupe.Infrastructure.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Loupe.Infrastructure.Runs;

/// <summary>The maintenance job <c>results.retention</c>: one sweep of <see cref="ResultRetention"/>.</summary>
internal sealed class ResultRetentionJob(ResultRetention retention, TimeProvider clock) : IJobHandler
{
    public const string JobKind = "results.retention";

    public string Kind => JobKind;

    public Task HandleAsync(JobContext context, CancellationToken ct) => retention.SweepAsync(clock.GetUtcNow(), ct);
}

/// <summary>
/// On every node that runs the job engine: every <c>Runs:RetentionSweepMinutes</c>, enqueues the
/// retention job and the stranded-run job (<see cref="StrandedRunsJob"/>) as instance jobs with unique
/// keys, so however many nodes ask, one sweep of each is queued at a time. A job an instance admin has
/// paused (<see cref="RecurringJobs"/>) is left out of the ticks until resumed.
/// </summary>
internal sealed partial class ResultRetentionSchedule(
    IServiceScopeFactory scopes, RecurringJobs recurring, IOptions<RunOptions> options, TimeProvider clock, ILogger<ResultRetentionSchedule> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.RetentionSweepMinutes == 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.RetentionSweepMinutes), clock);
        do
        {
            try
            {
                await EnqueueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed enqueue (database restarting) is retried at the next tick.
            catch (Exception failure)
#pragma warning restore CA1031
            {
                LogEnqueueFailed(logger, failure.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>One tick: queues each sweep that is not paused.</summary>
    internal async Task EnqueueAsync(CancellationToken ct)
    {
        var paused = await recurring.PausesAsync(ct).ConfigureAwait(false);
        var kinds = ((string[])[ResultRetentionJob.JobKind, StrandedRunsJob.JobKind]).Where(kind => !paused.ContainsKey(kind)).ToList();
        if (kinds.Count == 0)
        {
            return;
        }

        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var scheduler = scope.ServiceProvider.GetRequiredService<IJobScheduler>();
            foreach (var kind in kinds)
            {
                scheduler.Enqueue(RecurringJobs.Request(kind));
            }

            await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(ct).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not queue the run maintenance jobs ({FailureType}); trying again at the next tick")]
    private static partial void LogEnqueueFailed(ILogger logger, string failureType);
}
