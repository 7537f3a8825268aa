using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Webhooks;
using Microsoft.Extensions.Logging;

namespace Loupe.Application.Webhooks;

/// <summary>
/// One attempt of a delivery, in three steps, shared by the fan-out (which makes every delivery's first
/// attempt) and <see cref="WebhookDeliveryJob"/> (which makes the later ones):
/// <see cref="Prepare"/> reads what the attempt needs from the tracked rows, <see cref="SendAsync"/>
/// sends it (touching no row, so several can be in flight at once) and <see cref="RecordAsync"/> records
/// the answer with what follows in one transaction: success; 410 disables the webhook; another 4xx (but
/// 408 and 429) fails it for good; anything else queues the next attempt after an exponential, jittered
/// wait, until the sixth, after which it is dead-lettered. A delivery that ends in failure counts against
/// its webhook, which disables itself (audited) after <see cref="WebhookSettings.DisableAfterFailures"/>
/// in a row. An attempt already recorded (its job ran twice) is not recorded again.
/// </summary>
internal sealed partial class WebhookDeliverer(
    IRepository<WebhookDelivery> deliveries,
    IRepository<Webhook> webhooks,
    ISecretProtector protector,
    IWebhookSender sender,
    WebhookDeliveryLimiter limiter,
    WebhookAttempts queue,
    WebhookSettings settings,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    TimeProvider clock,
    ILogger<WebhookDeliverer> logger)
{
    /// <summary>
    /// What attempt <paramref name="attempt"/> of <paramref name="delivery"/> sends (the signed message),
    /// or how it ends without sending: a disabled webhook, or a signing secret the configured keys cannot open.
    /// </summary>
    public PreparedAttempt Prepare(WebhookDelivery delivery, int attempt, Webhook webhook, ReadOnlyMemory<byte> body)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(webhook);
        if (!webhook.Enabled)
        {
            // Not the receiver's failure: the webhook's count does not move.
            return new PreparedAttempt(
                delivery.Id, attempt, null, new WebhookSendResult(null, "The webhook is disabled; redeliver once it is enabled again.", 0, AddressRefused: true), CountsAgainstWebhook: false);
        }

        try
        {
            var secret = protector.Unprotect(webhook.Secret);
            return new PreparedAttempt(delivery.Id, attempt, new WebhookMessage(new Uri(webhook.Url), delivery.EventType, delivery.Id, secret, body), null, CountsAgainstWebhook: true);
        }
        catch (SecretProtectionException)
        {
            return new PreparedAttempt(
                delivery.Id, attempt, null, new WebhookSendResult(null, "The webhook's signing secret cannot be opened with the configured keys; rotate it.", 0, AddressRefused: true), CountsAgainstWebhook: true);
        }
    }

    /// <summary>Sends the prepared message within this node's delivery slots; what the receiver said, or why nothing was sent.</summary>
    public async Task<WebhookSendResult> SendAsync(PreparedAttempt prepared, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        if (prepared.Message is not { } message)
        {
            return prepared.Ending!;
        }

        using (await limiter.EnterAsync(ct).ConfigureAwait(false))
        {
            return await sender.SendAsync(message, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Records the attempt on what is stored now (read again after a concurrent change of the webhook); false when it was recorded already.</summary>
    public Task<bool> RecordAsync(PreparedAttempt prepared, WebhookSendResult result, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(result);
        return unitOfWork.RetryOnConcurrentChangeAsync(async () =>
        {
            var delivery = await deliveries.FindAsync(prepared.DeliveryId, ct).ConfigureAwait(false);
            if (delivery is null || !delivery.AwaitsAttempt(prepared.Attempt))
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
                disabled = prepared.CountsAgainstWebhook && webhook.RecordFailure(settings.DisableAfterFailures, now);
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
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {WebhookId} disabled itself ({Reason})")]
    private static partial void LogDisabled(ILogger logger, Guid webhookId, string reason);
}

/// <summary>
/// One attempt made ready: the <paramref name="Message"/> to send, or the <paramref name="Ending"/> it
/// has without sending; whether a failure counts against the webhook.
/// </summary>
internal sealed record PreparedAttempt(Guid DeliveryId, int Attempt, WebhookMessage? Message, WebhookSendResult? Ending, bool CountsAgainstWebhook);
