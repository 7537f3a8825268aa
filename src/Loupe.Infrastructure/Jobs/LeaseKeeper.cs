using Loupe.Infrastructure.Persistence;
using Microsoft.Extensions.Logging;

namespace Loupe.Infrastructure.Jobs;

/// <summary>
/// Renews the leases of the attempts this node holds every <c>Jobs:HeartbeatSeconds</c>, and stops
/// those whose lease is gone (another node has the job) or whose cancellation was requested.
/// </summary>
internal sealed class LeaseKeeper(JobStore store, HeldJobs held, NodeContact contact, JobsOptions options, TimeProvider time, ILogger logger)
{
    public async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(options.Heartbeat, time);
        while (await EngineWaits.TickAsync(timer, ct).ConfigureAwait(false))
        {
            // The attempts held when the heartbeat leaves: one claimed meanwhile is not judged by its answer.
            var holding = held.Snapshot();
            if (holding.Length == 0)
            {
                continue;
            }

            var ids = holding.Select(h => h.Job.Id).Distinct().ToArray();

            IReadOnlyDictionary<Guid, bool> kept;
            try
            {
                kept = await store.HeartbeatAsync(ids, ct).ConfigureAwait(false);
                contact.Mark();
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception failure) when (DatabaseFailures.IsDatabaseFailure(failure))
            {
                logger.LogHeartbeatFailed(failure.GetType().Name, ids.Length);
                continue;
            }

            // An earlier attempt of a job claimed again was stopped by its claim already; the first reason wins.
            foreach (var attempt in holding)
            {
                if (attempt.IsFinishing)
                {
                    continue;
                }

                if (!kept.TryGetValue(attempt.Job.Id, out var cancelRequested))
                {
                    logger.LogLeaseLost(attempt.Job.Kind, attempt.Job.Id, attempt.Job.Attempt);
                    attempt.Stop(StopReason.LeaseLost);
                }
                else if (cancelRequested)
                {
                    attempt.Stop(StopReason.Cancelled);
                }
            }
        }
    }
}
