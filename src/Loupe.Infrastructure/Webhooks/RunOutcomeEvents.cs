using System.Text.Json;
using Loupe.Application.Common.Jobs;
using Loupe.Application.Webhooks.Delivery;
using Loupe.Domain.Runs;
using Loupe.Domain.Webhooks;
using Loupe.Infrastructure.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Loupe.Infrastructure.Webhooks;

/// <summary>
/// <c>run.succeeded</c> and <c>run.failed</c> (failed or timed out), staged by the very save that
/// stores a run's final state, whichever path finished it (the worker, a data source gone, a run given
/// up): the event and its fan-out job are written in that save's transaction. A save that fails takes
/// them back out, so the save tried again after a concurrent change stages them once. The payload is
/// ids and a summary: never the SQL, parameter values or the database's message.
/// </summary>
internal static class RunOutcomeEvents
{
    /// <summary>What one save staged, to take back when it fails.</summary>
    internal sealed record Staged(List<OutboxEvent> Events, List<Job> Jobs)
    {
        public static Staged None { get; } = new([], []);
    }

    public static Staged Stage(DbContext context)
    {
        Staged? staged = null;
        foreach (var entry in context.ChangeTracker.Entries<QueryRun>())
        {
            if (entry.State != EntityState.Modified || !JustFinished(entry, out var eventType))
            {
                continue;
            }

            var run = entry.Entity;
            var outboxEvent = new OutboxEvent
            {
                Id = Guid.CreateVersion7(),
                OrganizationId = run.OrganizationId,
                EventType = eventType,
                Payload = JsonSerializer.Serialize(
                    new RunOutcome(run.Id, run.SavedQueryId, run.DataSourceId, run.Status.ToName(), run.RowCount, run.Truncated, run.DurationMs, run.Error?.Code, run.FinishedAt),
                    EventOutbox.PayloadJson),
                OccurredAt = run.FinishedAt ?? run.QueuedAt,
            };
            var job = Job.Queued(Guid.CreateVersion7(), new JobRequest(
                WebhookJobKinds.FanOut,
                JsonSerializer.Serialize(new { EventId = outboxEvent.Id }),
                run.OrganizationId,
                JobPriority.Scheduled,
                MaxAttempts: 5));
            context.Add(outboxEvent);
            context.Add(job);
            staged ??= new Staged([], []);
            staged.Events.Add(outboxEvent);
            staged.Jobs.Add(job);
        }

        return staged ?? Staged.None;
    }

    /// <summary>Takes back what <see cref="Stage"/> added, after a save that failed.</summary>
    public static void Unstage(DbContext context, Staged staged, List<Job> jobs)
    {
        foreach (var outboxEvent in staged.Events)
        {
            context.Entry(outboxEvent).State = EntityState.Detached;
        }

        foreach (var job in staged.Jobs)
        {
            context.Entry(job).State = EntityState.Detached;
            jobs.Remove(job);
        }
    }

    private static bool JustFinished(EntityEntry<QueryRun> entry, out string eventType)
    {
        eventType = string.Empty;
        var status = entry.Property(r => r.Status);
        if (!status.IsModified || status.OriginalValue.IsFinished())
        {
            return false;
        }

        switch (status.CurrentValue)
        {
            case RunStatus.Succeeded:
                eventType = WebhookEvents.RunSucceeded;
                return true;
            case RunStatus.Failed or RunStatus.TimedOut:
                eventType = WebhookEvents.RunFailed;
                return true;
            default:
                return false;
        }
    }

    /// <summary>The data of a run event.</summary>
    /// <param name="Status">succeeded, failed or timed_out.</param>
    /// <param name="ErrorCode">The SQLSTATE or Loupe code of a failure; never its message.</param>
    private sealed record RunOutcome(
        Guid RunId, Guid? SavedQueryId, Guid DataSourceId, string Status, long? RowCount, bool? Truncated, long? DurationMs, string? ErrorCode, DateTimeOffset? FinishedAt);
}
