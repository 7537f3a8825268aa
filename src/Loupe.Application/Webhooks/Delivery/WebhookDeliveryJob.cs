using System.Text.Json;
using Loupe.Application.Common.Events;
using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Webhooks;
using Microsoft.Extensions.Logging;

namespace Loupe.Application.Webhooks.Delivery;

/// <summary>
/// Makes one attempt of one delivery (job kind <c>webhook.deliver</c>): signs the event's body, POSTs
/// it, and records the answer with what follows in one transaction: success; 410 disables the webhook;
/// another 4xx (but 408 and 429) fails it for good; anything else queues the next attempt after an
/// exponential, jittered wait, until the sixth, after which it is dead-lettered. A delivery that ends
/// in failure counts against its webhook, which disables itself (audited) after
/// <see cref="WebhookSettings.DisableAfterFailures"/> in a row. A job run twice (its node died after
/// sending) finds the attempt recorded and does nothing; one stopped before recording sends again,
/// under the same idempotency key.
/// </summary>
internal sealed partial class WebhookDeliveryJob(
    IRepository<WebhookDelivery> deliveries,
    IRepository<Webhook> webhooks,
    IOutboxEvents events,
    ISecretProtector protector,
    IWebhookSender sender,
    WebhookDeliveryLimiter limiter,
    WebhookAttempts queue,
    WebhookSettings settings,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    TimeProvider clock,
    ILogger<WebhookDeliveryJob> logger) : IJobHandler
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

        if (!webhook.Enabled)
        {
            // Not the receiver's failure: the webhook's count does not move.
            await RecordAsync(payload, new WebhookSendResult(null, "The webhook is disabled; redeliver once it is enabled again.", 0, AddressRefused: true), ct, countsAgainstWebhook: false)
                .ConfigureAwait(false);
            return;
        }

        string secret;
        try
        {
            secret = protector.Unprotect(webhook.Secret);
        }
        catch (SecretProtectionException)
        {
            await AbandonAsync(payload, "The webhook's signing secret cannot be opened with the configured keys; rotate it.", ct).ConfigureAwait(false);
            return;
        }

        var body = WebhookBodies.Build(stored.Id, stored.EventType, stored.OrganizationId, stored.OccurredAt, stored.Payload);
        WebhookSendResult result;
        using (await limiter.EnterAsync(ct).ConfigureAwait(false))
        {
            result = await sender.SendAsync(new WebhookMessage(new Uri(webhook.Url), stored.EventType, delivery.Id, secret, body), ct).ConfigureAwait(false);
        }

        await RecordAsync(payload, result, ct).ConfigureAwait(false);
    }

    private Task<bool> AbandonAsync(Payload payload, string reason, CancellationToken ct) =>
        RecordAsync(payload, new WebhookSendResult(null, reason, 0, AddressRefused: true), ct);

    /// <summary>Records the attempt on what is stored now (read again after a concurrent change of the webhook).</summary>
    private Task<bool> RecordAsync(Payload payload, WebhookSendResult result, CancellationToken ct, bool countsAgainstWebhook = true) =>
        unitOfWork.RetryOnConcurrentChangeAsync(async () =>
        {
            var delivery = await deliveries.FindAsync(payload.DeliveryId, ct).ConfigureAwait(false);
            if (delivery is null || !delivery.AwaitsAttempt(payload.Attempt))
            {
                return false;
            }

            var webhook = await webhooks.FindAsync(delivery.WebhookId, ct).ConfigureAwait(false);
            if (webhook is null)
            {
                return false;
            }

            var now = clock.GetUtcNow();
            var disabled = false;
            if (result.AddressRefused)
            {
                delivery.Abandon(result.Error ?? "Refused.", now);
                disabled = countsAgainstWebhook && webhook.RecordFailure(settings.DisableAfterFailures, now);
            }
            else
            {
                var outcome = delivery.RecordAttempt(
                    result.ResponseCode, result.Error, result.DurationMs, now, failed => settings.RetryDelay(failed, Random.Shared.NextDouble()));
                switch (outcome)
                {
                    case DeliveryOutcome.Succeeded:
                        webhook.RecordSuccess();
                        break;
                    case DeliveryOutcome.Gone:
                        disabled = webhook.DisableAsGone(now);
                        break;
                    case DeliveryOutcome.Refused:
                    case DeliveryOutcome.DeadLettered:
                        disabled = webhook.RecordFailure(settings.DisableAfterFailures, now);
                        break;
                    default:
                        queue.EnqueueAttempt(delivery, now);
                        break;
                }
            }

            if (disabled)
            {
                audit.Record(
                    AuditActions.WebhookDisabled,
                    new AuditTarget("webhook", webhook.Id),
                    details: new Dictionary<string, string>
                    {
                        ["reason"] = webhook.DisabledReason ?? string.Empty,
                        ["consecutive_failures"] = webhook.ConsecutiveFailures.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    });
                LogDisabled(logger, webhook.Id, webhook.DisabledReason ?? string.Empty);
            }

            await unitOfWork.SaveChangesAsync(ct).ConfigureAwait(false);
            return true;
        });

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {WebhookId} disabled itself ({Reason})")]
    private static partial void LogDisabled(ILogger logger, Guid webhookId, string reason);

    /// <summary>The job's payload: the delivery and which attempt this is (1 for the first).</summary>
    internal sealed record Payload(Guid DeliveryId, int Attempt);
}
