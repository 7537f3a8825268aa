using Loupe.Infrastructure.Persistence;
using Microsoft.Extensions.Logging;

namespace Loupe.Infrastructure.Jobs;

/// <summary>
/// The engine's claim loop: claims due jobs in batches up to the node's free slots, woken by
/// <c>NOTIFY</c>, by an attempt that ended, or every <c>Jobs:PollMilliseconds</c>, and starts each.
/// </summary>
internal sealed class JobClaimer(
    JobStore store,
    HeldJobs held,
    JobRunner runner,
    WakeSignal wake,
    NodeContact contact,
    JobMetrics metrics,
    JobsOptions options,
    TimeProvider time,
    ILogger logger)
{
    private static readonly TimeSpan MaxErrorBackoff = TimeSpan.FromSeconds(5);

    public async Task RunAsync(CancellationToken stopping)
    {
        var errorBackoff = TimeSpan.FromMilliseconds(200);
        while (!stopping.IsCancellationRequested)
        {
            var (free, open) = held.FreeSlots(options.Concurrency, options.ReservedSlots);
            if (free > 0)
            {
                IReadOnlyList<ClaimedJob> claimed;
                try
                {
                    claimed = await store.ClaimAsync(free, open, stopping).ConfigureAwait(false);
                    contact.Mark();
                    errorBackoff = TimeSpan.FromMilliseconds(200);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception failure) when (DatabaseFailures.IsDatabaseFailure(failure))
                {
                    logger.LogClaimFailed(failure.GetType().Name, failure.Message);
                    await EngineWaits.DelayAsync(errorBackoff, time, stopping).ConfigureAwait(false);
                    errorBackoff = TimeSpan.FromTicks(Math.Min(MaxErrorBackoff.Ticks, errorBackoff.Ticks * 2));
                    continue;
                }

                foreach (var job in claimed)
                {
                    Start(job);
                }

                if (claimed.Count > 0)
                {
                    // More may be due; a batch that filled fewer slots than free ends the round on the next pass.
                    continue;
                }
            }

            await wake.WaitAsync(options.Poll, stopping).ConfigureAwait(false);
        }
    }

    private void Start(ClaimedJob job)
    {
        var attempt = held.Hold(job);
        metrics.Claimed(job);
        attempt.Completion = Task.Run(() => runner.RunAsync(attempt), CancellationToken.None);
    }
}
