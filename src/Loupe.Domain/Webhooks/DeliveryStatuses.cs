namespace Loupe.Domain.Webhooks;

/// <summary>The wire and column names of <see cref="DeliveryStatus"/>.</summary>
public static class DeliveryStatuses
{
    public static string ToName(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Pending => "pending",
        DeliveryStatus.Succeeded => "succeeded",
        DeliveryStatus.Failed => "failed",
        DeliveryStatus.DeadLettered => "dead_lettered",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static DeliveryStatus Parse(string text) => text switch
    {
        "pending" => DeliveryStatus.Pending,
        "succeeded" => DeliveryStatus.Succeeded,
        "failed" => DeliveryStatus.Failed,
        "dead_lettered" => DeliveryStatus.DeadLettered,
        _ => throw new InvalidOperationException($"Unknown stored delivery status '{text}'."),
    };
}
