using System.Text.Json;
using Loupe.Application.Common.Events;
using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Persistence;
using Loupe.Domain.Webhooks;

namespace Loupe.Application.Webhooks;

/// <summary>
/// Makes one later attempt of one delivery (job kind <c>webhook.deliver</c>; the first attempt is the
/// fan-out's, and a redelivery's first is this job's too) through the <see cref="WebhookDeliverer"/>. A
/// job run twice (its node died after sending) finds the attempt recorded and does nothing; one stopped
/// before recording sends again, under the same idempotency key.
/// </summary>
internal sealed class WebhookDeliveryJob(
    IRepository<WebhookDelivery> deliveries,
    IRepository<Webhook> webhooks,
    IOutboxEvents events,
    WebhookDeliverer deliverer) : IJobHandler
{
    public const string JobKind = WebhookJobKinds.Deliver;

    /// <summary>Engine attempts of one delivery attempt: for a node that dies or a database that blinks, not for the receiver.</summary>
    public const int JobAttempts = 5;

    public string Kind => JobKind;

    public async Task HandleAsync(JobContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var payload = JsonSerializer.Deserialize<Payload>(context.Payload) ?? throw new InvalidOperationException("A webhook.deliver job carries a delivery id.");
        var delivery = await deliveries.FindAsync(payload.DeliveryId, ct).ConfigureAwait(false);
        if (delivery is null || !delivery.AwaitsAttempt(payload.Attempt))
        {
            return;
        }

        var webhook = await webhooks.FindAsync(delivery.WebhookId, ct).ConfigureAwait(false);
        var stored = await events.FindAsync(delivery.EventId, ct).ConfigureAwait(false);
        if (webhook is null || stored is null)
        {
            return;
        }

        var prepared = deliverer.Prepare(delivery, payload.Attempt, webhook, WebhookBodies.Build(stored.Id, stored.EventType, stored.OrganizationId, stored.OccurredAt, stored.Payload));
        var result = await deliverer.SendAsync(prepared, ct).ConfigureAwait(false);
        await deliverer.RecordAsync(prepared, result, ct).ConfigureAwait(false);
    }

    /// <summary>The job's payload: the delivery and which attempt this is (1 for the first).</summary>
    internal sealed record Payload(Guid DeliveryId, int Attempt);
}
