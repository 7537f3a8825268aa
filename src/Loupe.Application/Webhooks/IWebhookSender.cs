namespace Loupe.Application.Webhooks;

/// <summary>
/// Sends one signed POST to a receiver over the instance's one shared HTTP client: pooled connections,
/// a 10-second timeout, redirects never followed, and every address connected to checked against
/// <see cref="WebhookSettings.AddressPolicy"/> at the moment of connecting (so a name that resolves
/// elsewhere after it was saved cannot reach a refused address).
/// </summary>
public interface IWebhookSender
{
    Task<WebhookSendResult> SendAsync(WebhookMessage message, CancellationToken ct);
}

/// <param name="DeliveryId">The idempotency key (<c>X-Loupe-Delivery</c>).</param>
/// <param name="Body">The JSON body, signed exactly as sent.</param>
public sealed record WebhookMessage(Uri Url, string EventType, Guid DeliveryId, string Secret, ReadOnlyMemory<byte> Body)
{
    /// <summary>Never the secret or the body.</summary>
    public override string ToString() => $"WebhookMessage {{ EventType = {EventType}, DeliveryId = {DeliveryId} }}";
}

/// <param name="ResponseCode">The receiver's HTTP status; null when no answer came.</param>
/// <param name="Error">Why no (good) answer came, in a few words; null on any answer.</param>
/// <param name="AddressRefused">True when the connection was refused by the address policy (never retried).</param>
public sealed record WebhookSendResult(int? ResponseCode, string? Error, int DurationMs, bool AddressRefused = false);
