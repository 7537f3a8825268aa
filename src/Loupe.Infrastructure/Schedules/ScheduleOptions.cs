namespace Loupe.Infrastructure.Schedules;

/// <summary>The <c>Schedules</c> section: how often schedules may fire, when they pause themselves, how the tick runs.</summary>
public sealed class ScheduleOptions
{
    public const string Section = "Schedules";

    /// <summary>The shortest interval a schedule's cron may fire at, in seconds (1–86400); a closer expression is refused.</summary>
    public int MinimumIntervalSeconds { get; set; } = 60;

    /// <summary>Failed runs in a row after which a schedule pauses itself (1–1000).</summary>
    public int PauseAfterFailures { get; set; } = 10;

    /// <summary>How often each job-engine node ticks, in milliseconds (100–60000).</summary>
    public int TickMilliseconds { get; set; } = 1000;

    /// <summary>Schedules one transaction of a tick fires at most (1–5000); a tick repeats batches until nothing is due.</summary>
    public int BatchSize { get; set; } = 250;

    /// <summary>Batches of due schedules one node fires side by side in an organization, each its own transaction (1–16).</summary>
    public int FiringConcurrency { get; set; } = 2;

    /// <summary>False: this node never ticks (other nodes do).</summary>
    public bool Tick { get; set; } = true;

    internal TimeSpan TickInterval => TimeSpan.FromMilliseconds(TickMilliseconds);

    internal IEnumerable<string> Problems()
    {
        if (MinimumIntervalSeconds is < 1 or > 86_400)
        {
            yield return "Schedules:MinimumIntervalSeconds must be between 1 and 86400.";
        }

        if (PauseAfterFailures is < 1 or > 1_000)
        {
            yield return "Schedules:PauseAfterFailures must be between 1 and 1000.";
        }

        if (TickMilliseconds is < 100 or > 60_000)
        {
            yield return "Schedules:TickMilliseconds must be between 100 and 60000.";
        }

        if (BatchSize is < 1 or > 5_000)
        {
            yield return "Schedules:BatchSize must be between 1 and 5000.";
        }

        if (FiringConcurrency is < 1 or > 16)
        {
            yield return "Schedules:FiringConcurrency must be between 1 and 16.";
        }
    }
}
