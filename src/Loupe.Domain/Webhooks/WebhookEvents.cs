namespace Loupe.Domain.Webhooks;

/// <summary>The types of the events a webhook can subscribe to, as they appear on the wire.</summary>
public static class WebhookEvents
{
    public const string RunSucceeded = "run.succeeded";
    public const string RunFailed = "run.failed";
    public const string ScheduleRunFailed = "schedule.run_failed";
    public const string SchedulePaused = "schedule.paused";
    public const string AlertTriggered = "alert.triggered";
    public const string AlertResolved = "alert.resolved";

    /// <summary>The longest event type there may be (the column's length).</summary>
    public const int TypeMaxLength = 64;

    public static IReadOnlyList<string> All { get; } =
        [RunSucceeded, RunFailed, ScheduleRunFailed, SchedulePaused, AlertTriggered, AlertResolved];

    public static bool IsKnown(string eventType) => All.Contains(eventType, StringComparer.Ordinal);
}
