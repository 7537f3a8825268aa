namespace Loupe.Infrastructure.Runs;

/// <summary>The <c>Runs</c> section: how long results are kept, how big a run's result may be, what counts as slow.</summary>
public sealed class RunOptions
{
    public const string Section = "Runs";

    /// <summary>Days a stored result is kept (1–3650); each saved query's latest result is kept until a newer one exists.</summary>
    public int ResultRetentionDays { get; set; } = 7;

    /// <summary>The most a run reads from its data source, in MiB (1–65536); beyond it the result is cut and flagged truncated.</summary>
    public int MaxResultMegabytes { get; set; } = 1024;

    /// <summary>Runs at least this long are logged as slow (1–3600000 ms).</summary>
    public int SlowRunMilliseconds { get; set; } = 1000;

    /// <summary>How often each engine node queues the result retention sweep (1–1440 minutes; 0: this node never queues it).</summary>
    public int RetentionSweepMinutes { get; set; } = 15;

    /// <summary>Attempts of one run before it fails (1–10): a lost worker or a retryable error starts another.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Runs one organization may have waiting to start (1–100000); a new run beyond it is refused with 429 <c>run.queue_full</c> (ADR 0030).</summary>
    public int MaxQueuedPerOrganization { get; set; } = 200;

    /// <summary>The most cell text one result page holds, in bytes (65536–268435456); cells past it are truncated (ADR 0031).</summary>
    public int MaxPageBytes { get; set; } = 8 << 20;

    /// <summary>The most text one cell shows in a result page, in bytes (256–1048576, at most MaxPageBytes); a longer cell is truncated.</summary>
    public int MaxPageCellBytes { get; set; } = 64 << 10;

    internal IEnumerable<string> Problems()
    {
        if (MaxPageBytes is < 65_536 or > 268_435_456)
        {
            yield return "Runs:MaxPageBytes must be between 65536 and 268435456.";
        }

        if (MaxPageCellBytes < 256 || MaxPageCellBytes > 1_048_576 || MaxPageCellBytes > MaxPageBytes)
        {
            yield return "Runs:MaxPageCellBytes must be between 256 and 1048576, and not above Runs:MaxPageBytes.";
        }

        if (ResultRetentionDays is < 1 or > 3650)
        {
            yield return "Runs:ResultRetentionDays must be between 1 and 3650.";
        }

        if (MaxResultMegabytes is < 1 or > 65_536)
        {
            yield return "Runs:MaxResultMegabytes must be between 1 and 65536.";
        }

        if (SlowRunMilliseconds is < 1 or > 3_600_000)
        {
            yield return "Runs:SlowRunMilliseconds must be between 1 and 3600000.";
        }

        if (RetentionSweepMinutes is < 0 or > 1440)
        {
            yield return "Runs:RetentionSweepMinutes must be between 0 and 1440.";
        }

        if (MaxQueuedPerOrganization is < 1 or > 100_000)
        {
            yield return "Runs:MaxQueuedPerOrganization must be between 1 and 100000.";
        }

        if (MaxAttempts is < 1 or > 10)
        {
            yield return "Runs:MaxAttempts must be between 1 and 10.";
        }
    }
}
