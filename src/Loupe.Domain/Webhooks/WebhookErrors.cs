using Loupe.Domain.Common;

namespace Loupe.Domain.Webhooks;

public static class WebhookErrors
{
    public static readonly DomainError NameRequired =
        DomainError.Validation("webhook.name_required", "name", "A name is required.");

    public static readonly DomainError NameTooLong =
        DomainError.Validation("webhook.name_too_long", "name", $"A name has at most {Webhook.NameMaxLength} characters.");

    public static readonly DomainError EventsRequired =
        DomainError.Validation("webhook.events_required", "events", "A webhook subscribes to at least one event.");

    public static readonly DomainError EventUnknown =
        DomainError.Validation("webhook.event_unknown", "events", $"Events are among {string.Join(", ", WebhookEvents.All)}.");

    public static readonly DomainError UrlInvalid =
        DomainError.Validation(
            "webhook.url_invalid",
            "url",
            $"A URL is absolute, at most {WebhookUrl.MaxLength} characters, with a host, without user name or password, and without a fragment.");

    public static readonly DomainError UrlNotHttps =
        DomainError.Validation("webhook.url_not_https", "url", "A webhook URL uses https.");

    public static readonly DomainError UrlForbidden =
        DomainError.Unprocessable(
            "webhook.url_forbidden",
            "The URL's host is or resolves to an address Loupe does not deliver to (loopback, private, link-local, unique-local, multicast, unspecified, or a cloud metadata service); an operator may allow an on-premises receiver with Webhooks:AllowedHosts.");

    public static readonly DomainError DeliveryNotRedeliverable =
        DomainError.Conflict("webhook.delivery_in_progress", "The delivery is still being attempted; redeliver it once it has succeeded or failed.");

    public static readonly DomainError SecretUnreadable =
        DomainError.Conflict(
            "webhook.secret_unreadable",
            "The webhook's signing secret cannot be decrypted with the configured keys (its key was removed from Secrets:Keys); rotate the secret (POST /api/v1/webhooks/{id}/rotate-secret) and give the receiver the new one.");
}
