using System.Text.Json;
using Ardalis.Specification;
using Loupe.Application.Common.Events;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Persistence;
using Loupe.Domain.Webhooks;

namespace Loupe.Application.Webhooks.Delivery;

/// <summary>
/// Turns one stored event (job kind <c>webhook.fan_out</c>, enqueued with the event by the outbox)
/// into one delivery per enabled webhook that subscribes to its type, each with its first attempt
/// queued, all in one transaction. An alert's events also go to the enabled webhooks the alert names
/// (the payload's <c>webhook_ids</c>), subscribed or not: the union, each webhook once. Run again (its
/// node died), it adds only the deliveries still missing: an event reaches a webhook at most once.
/// </summary>
internal sealed class WebhookFanOutJob(
    IOutboxEvents events,
    IRepository<Webhook> webhooks,
    IRepository<WebhookDelivery> deliveries,
    WebhookAttempts queue,
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

        var named = NamedWebhooks(stored);
        var subscribers = await webhooks.ListAsync(new WebhooksWanting(stored.EventType, named), ct).ConfigureAwait(false);
        if (subscribers.Count == 0)
        {
            return;
        }

        var existing = (await deliveries.ListAsync(new DeliveriesOfEvent(stored.Id), ct).ConfigureAwait(false)).Select(d => d.WebhookId).ToHashSet();
        var now = clock.GetUtcNow();
        foreach (var webhook in subscribers.Where(w => !existing.Contains(w.Id)))
        {
            var delivery = WebhookDelivery.Create(Guid.CreateVersion7(), stored.OrganizationId, webhook.Id, stored.Id, stored.EventType, now);
            deliveries.Add(delivery);
            queue.EnqueueAttempt(delivery, now);
        }

        try
        {
            await unitOfWork.SaveChangesAsync(ct).ConfigureAwait(false);
        }
        catch (ConflictException conflict) when (conflict.Code == ErrorCodes.Duplicate)
        {
            // A twin of this job (its node presumed dead) stored them first.
        }
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
