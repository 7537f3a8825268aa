using Loupe.Application.Common.Jobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Loupe.Infrastructure.Jobs;

/// <summary>
/// Deletes finished jobs, and their attempts, once they are older than <c>Jobs:Retention</c> allows
/// (ADR 0068): succeeded ones after <c>SucceededDays</c>, failed, dead-lettered and cancelled ones after
/// <c>FailedDays</c>, counted from when they finished. The cut-offs come from the host's clock; each
/// statement deletes at most <c>BatchSize</c> jobs, so no transaction grows with the backlog.
/// </summary>
internal sealed class JobRetention(JobStore store, IOptions<JobsOptions> options, TimeProvider time)
{
    /// <summary>A sweep stops after this many full batches even if more are due; the next sweep goes on.</summary>
    internal const int MaxBatchesPerSweep = 100;

    private readonly JobRetentionOptions _retention = options.Value.Retention;

    /// <returns>How many jobs were deleted.</returns>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var succeededBefore = now.AddDays(-_retention.SucceededDays);
        var failedBefore = now.AddDays(-_retention.FailedDays);
        var deleted = 0;
        for (var batch = 0; batch < MaxBatchesPerSweep; batch++)
        {
            var gone = await store.PurgeAsync(succeededBefore, failedBefore, _retention.BatchSize, ct).ConfigureAwait(false);
            deleted += gone;
            if (gone < _retention.BatchSize)
            {
                break;
            }
        }

        return deleted;
    }
}

/// <summary>The maintenance job <c>jobs.retention</c>: one sweep of <see cref="JobRetention"/>.</summary>
internal sealed class JobRetentionJob(JobRetention retention, ILogger<JobRetentionJob> logger) : IJobHandler
{
    public const string JobKind = "jobs.retention";

    public string Kind => JobKind;

    public async Task HandleAsync(JobContext context, CancellationToken ct)
    {
        var deleted = await retention.SweepAsync(ct).ConfigureAwait(false);
        if (deleted > 0)
        {
            logger.LogRetentionSwept(deleted);
        }
    }
}

/// <summary>
/// On every node that runs the job engine: every <c>Jobs:Retention:SweepMinutes</c> (and once at start),
/// enqueues <see cref="JobRetentionJob"/> as an instance job with a unique key, so however many nodes
/// ask, one sweep is queued at a time — as the run maintenance jobs are. While an instance admin has
/// paused it (<see cref="RecurringJobs"/>), the ticks queue nothing.
/// </summary>
internal sealed class JobRetentionSchedule(
    IInstanceJobs jobs, RecurringJobs recurring, IOptions<JobsOptions> options, TimeProvider clock, ILogger<JobRetentionSchedule> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var minutes = options.Value.Retention.SweepMinutes;
        if (minutes == 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(minutes), clock);
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
                logger.LogRetentionEnqueueFailed(failure.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>One tick: queues the sweep, unless it is paused.</summary>
    internal async Task EnqueueAsync(CancellationToken ct)
    {
        if (await recurring.PausedAsync(JobRetentionJob.JobKind, ct).ConfigureAwait(false))
        {
            return;
        }

        await jobs.EnqueueAsync(RecurringJobs.Request(JobRetentionJob.JobKind), ct).ConfigureAwait(false);
    }
}
