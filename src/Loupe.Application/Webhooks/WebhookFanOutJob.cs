using System.Text.Json;
using Ardalis.Specification;
using Loupe.Application.Common.Events;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Persistence;
using Loupe.Domain.Webhooks;

namespace Loupe.Application.Webhooks;

/// <summary>
/// Turns one stored event (job kind <c>webhook.fan_out</c>, enqueued with the event by the outbox) into
/// one delivery per enabled webhook that subscribes to its type, stored in one transaction, and then
/// makes each delivery's first attempt: sent side by side (within the node's delivery slots), each
/// answer recorded as it comes, a retry queued as a <c>webhook.deliver</c> job (ADR 0062). An alert's
/// events also go to the enabled webhooks the alert names (the payload's <c>webhook_ids</c>),
/// subscribed or not: the union, each webhook once. Run again (its node died), it adds only the
/// deliveries still missing and sends only the first attempts not yet recorded, under the same keys:
/// an event reaches a webhook at most once per attempt.
/// </summary>
internal sealed class WebhookFanOutJob(
    IOutboxEvents events,
    IRepository<Webhook> webhooks,
    IRepository<WebhookDelivery> deliveries,
    WebhookDeliverer deliverer,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IJobHandler
{
    public const string JobKind = WebhookJobKinds.FanOut;

    public string Kind => JobKind;

    public async Task HandleAsync(JobContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var payload = JsonSerializer.Deserialize<Payload>(context.Payload) ?? throw new InvalidOperationException("A webhook.fan_out job carries an event id.");
        var stored = await events.FindAsync(payload.EventId, ct).ConfigureAwait(false);
        if (stored is null)
        {
            return;
        }

        var subscribers = await webhooks.ListAsync(new WebhooksWanting(stored.EventType, NamedWebhooks(stored)), ct).ConfigureAwait(false);

        // A first run finds none stored: no attempt of this job came before it (a twin is caught by the unique key).
        var existing = context.Attempt > 1 ? await deliveries.ListAsync(new DeliveriesOfEvent(stored.Id), ct).ConfigureAwait(false) : [];
        var created = await StoreMissingAsync(stored, subscribers, existing, ct).ConfigureAwait(false);
        if (created is null)
        {
            // A twin of this job (its node presumed dead) stored them first: the first attempts it has not
            // recorded are sent again under the same keys, in case it is dead indeed.
            existing = await deliveries.ListAsync(new DeliveriesOfEvent(stored.Id), ct).ConfigureAwait(false);
            created = [];
        }

        var first = created.Concat(existing.Where(d => d.AwaitsAttempt(1))).ToList();
        if (first.Count == 0)
        {
            return;
        }

        var targets = subscribers.ToDictionary(w => w.Id);
        var body = WebhookBodies.Build(stored.Id, stored.EventType, stored.OrganizationId, stored.OccurredAt, stored.Payload);
        var prepared = new List<PreparedAttempt>(first.Count);
        foreach (var delivery in first)
        {
            // A delivery stored by an earlier run may be to a webhook that no longer subscribes: it is still owed its attempt.
            var webhook = targets.GetValueOrDefault(delivery.WebhookId) ?? await webhooks.FindAsync(delivery.WebhookId, ct).ConfigureAwait(false);
            if (webhook is not null)
            {
                prepared.Add(deliverer.Prepare(delivery, 1, webhook, body));
            }
        }

        await SendAndRecordAsync(prepared, ct).ConfigureAwait(false);
    }

    /// <summary>The webhooks an alert's event names in its payload (<c>webhook_ids</c>); none for other events.</summary>
    internal static List<Guid> NamedWebhooks(OutboxEventRecord stored)
    {
        if (stored.EventType is not (WebhookEvents.AlertTriggered or WebhookEvents.AlertResolved))
        {
            return [];
        }

        using var document = JsonDocument.Parse(stored.Payload);
        if (document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty("webhook_ids", out var ids)
            || ids.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return [.. ids.EnumerateArray().Select(id => id.TryGetGuid(out var guid) ? guid : Guid.Empty).Where(id => id != Guid.Empty).Distinct()];
    }

    /// <summary>Stores a delivery for each subscriber without one; the new deliveries, or null when a twin of this job stored them first.</summary>
    private async Task<List<WebhookDelivery>?> StoreMissingAsync(OutboxEventRecord stored, IReadOnlyList<Webhook> subscribers, IReadOnlyList<WebhookDelivery> existing, CancellationToken ct)
    {
        var covered = existing.Select(d => d.WebhookId).ToHashSet();
        var now = clock.GetUtcNow();
        var created = subscribers
            .Where(w => !covered.Contains(w.Id))
            .Select(w => WebhookDelivery.Create(Guid.CreateVersion7(), stored.OrganizationId, w.Id, stored.Id, stored.EventType, now))
            .ToList();
        if (created.Count == 0)
        {
            return created;
        }

        foreach (var delivery in created)
        {
            deliveries.Add(delivery);
        }

        try
        {
            await unitOfWork.SaveChangesAsync(ct).ConfigureAwait(false);
            return created;
        }
        catch (ConflictException conflict) when (conflict.Code == ErrorCodes.Duplicate)
        {
            unitOfWork.DiscardChanges();
            return null;
        }
    }

    /// <summary>
    /// Sends every prepared attempt side by side and records each answer as it comes (one at a time: they
    /// share this job's unit of work). Should a record fail, the sends still in flight are stopped and
    /// awaited before the failure goes on; the job runs again and sends what was not recorded, under the
    /// same keys.
    /// </summary>
    private async Task SendAndRecordAsync(List<PreparedAttempt> prepared, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sends = prepared.Select(async attempt => (Attempt: attempt, Result: await deliverer.SendAsync(attempt, stop.Token).ConfigureAwait(false))).ToList();
        try
        {
            await foreach (var sent in Task.WhenEach(sends).WithCancellation(ct).ConfigureAwait(false))
            {
                var (attempt, result) = await sent.ConfigureAwait(false);
                await deliverer.RecordAsync(attempt, result, ct).ConfigureAwait(false);
            }
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(sends).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The job's payload: the event, nothing else.</summary>
    internal sealed record Payload(Guid EventId);

    /// <summary>Enabled webhooks subscribed to the type, or named by the event.</summary>
    private sealed class WebhooksWanting : Specification<Webhook>
    {
        public WebhooksWanting(string eventType, List<Guid> named) =>
            Query.Where(w => w.Enabled && (w.Events.Contains(eventType) || named.Contains(w.Id)));
    }

    private sealed class DeliveriesOfEvent : Specification<WebhookDelivery>
    {
        public DeliveriesOfEvent(Guid eventId) => Query.Where(d => d.EventId == eventId);
    }
}
