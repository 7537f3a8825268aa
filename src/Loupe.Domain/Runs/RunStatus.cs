namespace Loupe.Domain.Runs;

/// <summary>
/// Where a run is: queued → running → succeeded | failed | cancelled | timed_out. A running run whose
/// attempt is lost (its worker died, or a retryable error) goes back to queued for its next attempt.
/// </summary>
public enum RunStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
    TimedOut,
}

public static class RunStatuses
{
    /// <summary>True for the states a run never leaves.</summary>
    public static bool IsFinished(this RunStatus status) => status is RunStatus.Succeeded or RunStatus.Failed or RunStatus.Cancelled or RunStatus.TimedOut;

    /// <summary>The wire name: <c>queued</c>, <c>running</c>, <c>succeeded</c>, <c>failed</c>, <c>cancelled</c>, <c>timed_out</c>.</summary>
    public static string ToName(this RunStatus status) => status switch
    {
        RunStatus.Queued => "queued",
        RunStatus.Running => "running",
        RunStatus.Succeeded => "succeeded",
        RunStatus.Failed => "failed",
        RunStatus.Cancelled => "cancelled",
        _ => "timed_out",
    };

    public static bool TryParse(string? name, out RunStatus status)
    {
        foreach (var candidate in Enum.GetValues<RunStatus>())
        {
            if (string.Equals(candidate.ToName(), name, StringComparison.Ordinal))
            {
                status = candidate;
                return true;
            }
        }

        status = default;
        return false;
    }
}
