using System.Text.Json;
using Loupe.Application.Common.Events;
using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Persistence;
using Loupe.Domain.Alerts;
using Loupe.Domain.Runs;
using Loupe.Domain.Webhooks;

namespace Loupe.Application.Alerts;

/// <summary>
/// Evaluates the active alerts of a saved query against one successful run's stored result (job kind
/// <c>alert.evaluate</c>, queued with the run's success). Every alert's new state and the events it
/// causes (<c>alert.triggered</c>, <c>alert.resolved</c>) are saved in ONE transaction, so an event
/// exists iff its state change committed. Delivered at least once and idempotent: an alert has
/// recorded the run it evaluated last, and a run not newer changes nothing; a concurrent change of an
/// alert (an edit, another run's evaluation) makes the whole evaluation start again on what is stored.
/// A result that cannot answer (empty, gone, a missing column…) makes the alert <c>unknown</c> with a reason.
/// </summary>
internal sealed class EvaluateAlertsJobHandler(
    IRepository<QueryRun> runs,
    IRepository<Alert> alerts,
    AlertResultReader results,
    IEventOutbox outbox,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IJobHandler
{
    public const string JobKind = "alert.evaluate";

    public string Kind => JobKind;

    /// <summary>The job that evaluates the alerts of <paramref name="runId"/>'s query.</summary>
    public static JobRequest RequestFor(Guid runId, Guid organizationId) => new(
        JobKind,
        JsonSerializer.Serialize(new Payload(runId)),
        organizationId,
        JobPriority.Scheduled,
        MaxAttempts: 5,
        UniqueKey: $"{JobKind}:{runId}");

    public async Task HandleAsync(JobContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var payload = JsonSerializer.Deserialize<Payload>(context.Payload) ?? throw new InvalidOperationException("An alert.evaluate job carries a run id.");
        await EvaluateAsync(payload.RunId, ct).ConfigureAwait(false);
    }

    /// <summary>Evaluates and saves; the number of notices staged (0 for a run that is not a successful run of a saved query).</summary>
    public async Task<int> EvaluateAsync(Guid runId, CancellationToken ct)
    {
        var run = await runs.FindAsync(runId, ct).ConfigureAwait(false);
        if (run is not { Status: RunStatus.Succeeded, SavedQueryId: { } queryId, FinishedAt: { } finishedAt })
        {
            return 0;
        }

        AlertResult? result = null;
        return await unitOfWork.RetryOnConcurrentChangeAsync(async () =>
        {
            var watching = await alerts.ListAsync(new ActiveAlertsOfQuery(queryId), ct).ConfigureAwait(false);
            if (watching.Count == 0)
            {
                return 0;
            }

            var needed = AlertResultReader.Needs(watching.Select(a => a.Condition));
            if (result is null || !result.Covers(needed))
            {
                result = await results.ReadAsync(run, needed, ct).ConfigureAwait(false);
            }

            var now = clock.GetUtcNow();
            var notices = 0;
            foreach (var alert in watching)
            {
                var notice = alert.Record(result.Evaluate(alert.Condition), run.Id, finishedAt, now);
                if (notice != AlertNotice.None)
                {
                    outbox.Add(
                        notice == AlertNotice.Triggered ? WebhookEvents.AlertTriggered : WebhookEvents.AlertResolved,
                        alert.OrganizationId,
                        AlertEventPayload.Of(alert, run.Id, now));
                    notices++;
                }
            }

            await unitOfWork.SaveChangesAsync(ct).ConfigureAwait(false);
            return notices;
        }).ConfigureAwait(false);
    }

    /// <summary>The job's payload: the run, nothing else.</summary>
    internal sealed record Payload(Guid RunId);
}
