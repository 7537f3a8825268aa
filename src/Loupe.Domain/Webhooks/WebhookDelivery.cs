using Loupe.Domain.Common;

namespace Loupe.Domain.Webhooks;

/// <summary>Where a delivery stands.</summary>
public enum DeliveryStatus
{
    /// <summary>Waiting for its next attempt (or its first).</summary>
    Pending,

    /// <summary>The receiver answered 2xx.</summary>
    Succeeded,

    /// <summary>Refused for good: a 4xx other than 408 and 429, the webhook gone or disabled, or an address Loupe does not deliver to.</summary>
    Failed,

    /// <summary>Every attempt failed in a way that might have passed; it can be redelivered.</summary>
    DeadLettered,
}

/// <summary>
/// One event sent to one webhook, over one or more attempts. Its id is the idempotency key the
/// receiver sees (<c>X-Loupe-Delivery</c>), the same on every attempt and on a redelivery.
/// </summary>
public sealed class WebhookDelivery : AggregateRoot, ITenantOwned
{
    /// <summary>Attempts before a delivery that keeps failing in passing is dead-lettered.</summary>
    public const int MaxAttempts = 6;

    public const int ErrorMaxLength = 500;

    private WebhookDelivery(Guid id, Guid organizationId, Guid webhookId, Guid eventId, string eventType, DateTimeOffset createdAt)
        : base(id)
    {
        OrganizationId = organizationId;
        WebhookId = webhookId;
        EventId = eventId;
        EventType = eventType;
        CreatedAt = createdAt;
        NextAttemptAt = createdAt;
    }

    public Guid OrganizationId { get; private set; }

    public Guid WebhookId { get; private set; }

    public Guid EventId { get; private set; }

    public string EventType { get; private set; }

    public DeliveryStatus Status { get; private set; }

    /// <summary>Attempts made since it was created or last redelivered.</summary>
    public int Attempts { get; private set; }

    /// <summary>The HTTP status of the last answer; null when there was none (timeout, refused connection).</summary>
    public int? ResponseCode { get; private set; }

    /// <summary>How long the last attempt took, in milliseconds.</summary>
    public int? DurationMs { get; private set; }

    /// <summary>Why the last attempt did not succeed, in a few words (never the receiver's body).</summary>
    public string? LastError { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? LastAttemptAt { get; private set; }

    /// <summary>When the next attempt is due; null once it has succeeded or failed.</summary>
    public DateTimeOffset? NextAttemptAt { get; private set; }

    public static WebhookDelivery Create(Guid id, Guid organizationId, Guid webhookId, Guid eventId, string eventType, DateTimeOffset now) =>
        new(id, organizationId, webhookId, eventId, eventType, now);

    /// <summary>Whether the attempt numbered <paramref name="attempt"/> (1 for the first) is still to be made.</summary>
    public bool AwaitsAttempt(int attempt) => Status == DeliveryStatus.Pending && Attempts == attempt - 1;

    /// <summary>
    /// Records one attempt's answer and decides what follows: done, or the next attempt at
    /// <c>now + retryDelay(attempts)</c> while attempts remain, else dead-lettered.
    /// </summary>
    /// <returns>The outcome as classified.</returns>
    public DeliveryOutcome RecordAttempt(int? responseCode, string? error, int durationMs, DateTimeOffset now, Func<int, TimeSpan> retryDelay)
    {
        ArgumentNullException.ThrowIfNull(retryDelay);
        if (Status != DeliveryStatus.Pending)
        {
            throw new InvalidOperationException("Only a pending delivery is attempted.");
        }

        Attempts++;
        ResponseCode = responseCode;
        DurationMs = Math.Max(0, durationMs);
        LastAttemptAt = now;
        var outcome = DeliveryOutcomes.Classify(responseCode, error is not null);
        LastError = outcome == DeliveryOutcome.Succeeded ? null : Truncate(error ?? $"The receiver answered {responseCode}.");
        switch (outcome)
        {
            case DeliveryOutcome.Succeeded:
                Finish(DeliveryStatus.Succeeded);
                break;
            case DeliveryOutcome.Gone:
            case DeliveryOutcome.Refused:
                Finish(DeliveryStatus.Failed);
                break;
            default:
                if (Attempts >= MaxAttempts)
                {
                    Finish(DeliveryStatus.DeadLettered);
                    return DeliveryOutcome.DeadLettered;
                }

                NextAttemptAt = now + retryDelay(Attempts);
                break;
        }

        return outcome;
    }

    /// <summary>Ends it without an attempt: the webhook is gone or disabled, or its address is refused.</summary>
    public void Abandon(string reason, DateTimeOffset now)
    {
        if (Status != DeliveryStatus.Pending)
        {
            return;
        }

        LastError = Truncate(reason);
        LastAttemptAt = now;
        Finish(DeliveryStatus.Failed);
    }

    /// <summary>Sends it again from the first attempt, under the same idempotency key; a pending one cannot be.</summary>
    public void Redeliver(DateTimeOffset now)
    {
        if (Status == DeliveryStatus.Pending)
        {
            throw new DomainException(WebhookErrors.DeliveryNotRedeliverable);
        }

        Status = DeliveryStatus.Pending;
        Attempts = 0;
        NextAttemptAt = now;
    }

    private void Finish(DeliveryStatus status)
    {
        Status = status;
        NextAttemptAt = null;
    }

    private static string Truncate(string text) => text.Length <= ErrorMaxLength ? text : text[..ErrorMaxLength];
}

/// <summary>What one attempt's answer means.</summary>
public enum DeliveryOutcome
{
    /// <summary>2xx.</summary>
    Succeeded,

    /// <summary>410: the receiver wants no more; the webhook disables itself.</summary>
    Gone,

    /// <summary>Another 4xx except 408 and 429: sending the same again would be refused again.</summary>
    Refused,

    /// <summary>Anything else (5xx, 408, 429, 3xx, no answer): tried again later.</summary>
    Retry,

    /// <summary>A retry with no attempts left.</summary>
    DeadLettered,
}

public static class DeliveryOutcomes
{
    /// <param name="responseCode">The HTTP status, or null when no answer came.</param>
    /// <param name="failedToSend">True when the request failed before an answer (the code is then ignored).</param>
    public static DeliveryOutcome Classify(int? responseCode, bool failedToSend = false)
    {
        if (failedToSend || responseCode is not { } code)
        {
            return DeliveryOutcome.Retry;
        }

        return code switch
        {
            >= 200 and < 300 => DeliveryOutcome.Succeeded,
            410 => DeliveryOutcome.Gone,
            408 or 429 => DeliveryOutcome.Retry,
            >= 400 and < 500 => DeliveryOutcome.Refused,
            _ => DeliveryOutcome.Retry,
        };
    }
}
