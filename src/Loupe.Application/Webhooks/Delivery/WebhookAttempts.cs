using System.Text.Json;
using Loupe.Application.Common.Jobs;
using Loupe.Domain.Webhooks;

namespace Loupe.Application.Webhooks.Delivery;

/// <summary>
/// Puts a delivery's next attempt on the job engine, in the current unit of work: the attempt's job is
/// saved with the delivery's row, or not at all. One job per attempt, keyed by delivery and attempt,
/// so an attempt is never queued twice.
/// </summary>
public sealed class WebhookAttempts(IJobScheduler jobs)
{
    public void EnqueueAttempt(WebhookDelivery delivery, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var attempt = delivery.Attempts + 1;
        var runAt = delivery.NextAttemptAt is { } next && next > now ? next : (DateTimeOffset?)null;
        jobs.Enqueue(new JobRequest(
            WebhookDeliveryJob.JobKind,
            JsonSerializer.Serialize(new WebhookDeliveryJob.Payload(delivery.Id, attempt)),
            delivery.OrganizationId,
            JobPriority.Scheduled,
            MaxAttempts: WebhookDeliveryJob.JobAttempts,
            RunAt: runAt,
            UniqueKey: $"webhook-delivery:{delivery.Id}:{attempt}"));
    }
}
