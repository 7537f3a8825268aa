using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Persistence;
using Loupe.Domain.Alerts;
using Loupe.Domain.Runs;

namespace Loupe.Application.Alerts;

/// <summary>
/// Stages the evaluation of a saved query's alerts with the run that finishes it: the
/// <c>alert.evaluate</c> job is enqueued in the unit of work whose save stores the run's success, so it
/// is written by the same transaction (a run succeeded iff its evaluation is queued) and the engine
/// delivers it at least once. Only a query some active alert watches gets one; its unique key (the run)
/// keeps a save tried again after a conflict from queueing it twice.
/// </summary>
internal sealed class AlertEvaluationQueue(IReadStore store, IQueryExecutor executor, IJobScheduler jobs)
{
    /// <summary>Queues the evaluation of <paramref name="run"/> (about to be saved as succeeded) when its query has active alerts.</summary>
    public async Task StageAsync(QueryRun run, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.SavedQueryId is not { } queryId)
        {
            return;
        }

        var watched = await executor.CountAsync(
            store.Query<Alert>().Where(a => a.QueryId == queryId && a.ArchivedAt == null).Take(1), ct).ConfigureAwait(false);
        if (watched == 0)
        {
            return;
        }

        jobs.Enqueue(EvaluateAlertsJobHandler.RequestFor(run.Id, run.OrganizationId));
    }
}
