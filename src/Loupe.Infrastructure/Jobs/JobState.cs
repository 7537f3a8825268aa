namespace Loupe.Infrastructure.Jobs;

/// <summary>A job's state as stored in <c>jobs.state</c> (snake_case there).</summary>
internal enum JobState
{
    Queued,
    Running,
    Succeeded,

    /// <summary>An attempt failed for a reason that will not pass (or no handler knows the kind).</summary>
    Failed,

    /// <summary>The last attempt failed for a reason that might have passed, or its node died during it.</summary>
    DeadLettered,

    Cancelled,
}

internal static class JobStates
{
    public static string ToText(this JobState state) => state switch
    {
        JobState.Queued => "queued",
        JobState.Running => "running",
        JobState.Succeeded => "succeeded",
        JobState.Failed => "failed",
        JobState.DeadLettered => "dead_lettered",
        JobState.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown job state."),
    };

    public static JobState Parse(string text) => text switch
    {
        "queued" => JobState.Queued,
        "running" => JobState.Running,
        "succeeded" => JobState.Succeeded,
        "failed" => JobState.Failed,
        "dead_lettered" => JobState.DeadLettered,
        "cancelled" => JobState.Cancelled,
        _ => throw new InvalidOperationException($"Unknown stored job state '{text}'."),
    };

    public static bool IsFinished(this JobState state) =>
        state is JobState.Succeeded or JobState.Failed or JobState.DeadLettered or JobState.Cancelled;
}
