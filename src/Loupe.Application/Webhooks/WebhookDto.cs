using Loupe.Domain.Webhooks;

namespace Loupe.Application.Webhooks;

/// <summary>A webhook as answered: never its secret. <c>disabled_reason</c> says why it disabled itself (gone, too_many_failures).</summary>
public sealed record WebhookDto(
    Guid Id,
    string Name,
    string Url,
    IReadOnlyList<string> Events,
    bool Enabled,
    string? DisabledReason,
    int ConsecutiveFailures,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    internal static WebhookDto From(Webhook webhook) => new(
        webhook.Id,
        webhook.Name,
        webhook.Url,
        webhook.Events,
        webhook.Enabled,
        webhook.DisabledReason,
        webhook.ConsecutiveFailures,
        webhook.CreatedAt,
        webhook.UpdatedAt);
}

/// <summary>A webhook with its signing secret in clear: answered once, when the secret is made (create, rotate-secret).</summary>
public sealed record WebhookWithSecretDto(WebhookDto Webhook, string Secret)
{
    /// <summary>Never the secret.</summary>
    public override string ToString() => $"WebhookWithSecretDto {{ Id = {Webhook.Id} }}";
}

/// <summary>One event sent to one webhook: its status, attempts, last answer and next attempt (never the body sent or received).</summary>
public sealed record WebhookDeliveryDto(
    Guid Id,
    Guid WebhookId,
    Guid EventId,
    string EventType,
    string Status,
    int Attempts,
    int? ResponseCode,
    int? DurationMs,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastAttemptAt,
    DateTimeOffset? NextAttemptAt)
{
    internal static WebhookDeliveryDto From(WebhookDelivery delivery) => new(
        delivery.Id,
        delivery.WebhookId,
        delivery.EventId,
        delivery.EventType,
        DeliveryStatuses.ToName(delivery.Status),
        delivery.Attempts,
        delivery.ResponseCode,
        delivery.DurationMs,
        delivery.LastError,
        delivery.CreatedAt,
        delivery.LastAttemptAt,
        delivery.NextAttemptAt);
}

/// <summary>What a test delivery got: the receiver's status code and time, or why no answer came.</summary>
public sealed record WebhookTestDto(bool Succeeded, int? ResponseCode, int DurationMs, string? Error);
