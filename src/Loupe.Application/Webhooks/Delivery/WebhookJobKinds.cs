namespace Loupe.Application.Webhooks.Delivery;

/// <summary>The job kinds of webhook delivery.</summary>
public static class WebhookJobKinds
{
    /// <summary>One stored event becomes one delivery per webhook that wants it.</summary>
    public const string FanOut = "webhook.fan_out";

    /// <summary>One attempt of one delivery.</summary>
    public const string Deliver = "webhook.deliver";
}
