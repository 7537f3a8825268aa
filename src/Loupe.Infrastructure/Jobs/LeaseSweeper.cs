using Loupe.Infrastructure.Persistence;
using Microsoft.Extensions.Logging;

namespace Loupe.Infrastructure.Jobs;

/// <summary>
/// Takes back other nodes' expired leases every <c>Jobs:SweepSeconds</c> (requeued, dead-lettered or
/// cancelled) in the same round trip as this node's beat in the node registry, and forgets early
/// cancellations that no claim can still answer.
/// </summary>
internal sealed class LeaseSweeper(
    JobStore store,
    HeldJobs held,
    NodeContact contact,
    JobMetrics metrics,
    IJobFailureReporter failures,
    JobsOptions options,
    TimeProvider time,
    ILogger logger)
{
    public async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(options.Sweep, time);
        while (await EngineWaits.TickAsync(timer, ct).ConfigureAwait(false))
        {
            try
            {
                var swept = await store.SweepAsync(held.Count, ct).ConfigureAwait(false);
                contact.Mark();
                metrics.Swept(swept);
                if (swept.Requeued + swept.DeadLettered + swept.Cancelled > 0)
                {
                    logger.LogSwept(swept.Requeued, swept.DeadLettered, swept.Cancelled);
                }

                if (swept.DeadLettered > 0)
                {
                    failures.DeadLetteredByLeaseSweep(swept.DeadLettered);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception failure) when (DatabaseFailures.IsDatabaseFailure(failure))
            {
                logger.LogSweepFailed(failure.GetType().Name);
            }

            held.PruneEarlyCancels(options.Lease);
        }
    }
}
