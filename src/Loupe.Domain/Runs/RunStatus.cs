namespace Loupe.Domain.Runs;

/// <summary>
/// Where a run is: queued → running → succeeded | failed | cancelled | timed_out. An attempt that met
/// an error that may pass (connection refused, deadlock, …) leaves the run <c>retrying</c> until its
/// next attempt starts (running again); an attempt whose worker died is started again from running.
/// </summary>
public enum RunStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
    TimedOut,

    /// <summary>Waiting for its next attempt after an error that may pass; the run keeps that error.</summary>
    Retrying,
}

public static class RunStatuses
{
    /// <summary>True for the states a run never leaves.</summary>
    public static bool IsFinished(this RunStatus status) => status is RunStatus.Succeeded or RunStatus.Failed or RunStatus.Cancelled or RunStatus.TimedOut;

    /// <summary>True for the states a run waits to start in: queued, retrying.</summary>
    public static bool IsWaiting(this RunStatus status) => status is RunStatus.Queued or RunStatus.Retrying;

    /// <summary>The wire name: <c>queued</c>, <c>running</c>, <c>succeeded</c>, <c>failed</c>, <c>cancelled</c>, <c>timed_out</c>, <c>retrying</c>.</summary>
    public static string ToName(this RunStatus status) => status switch
    {
        RunStatus.Queued => "queued",
        RunStatus.Running => "running",
        RunStatus.Succeeded => "succeeded",
        RunStatus.Failed => "failed",
        RunStatus.Cancelled => "cancelled",
        RunStatus.Retrying => "retrying",
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
