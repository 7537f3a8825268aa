namespace Loupe.Application.Runs;

/// <summary>The instance's rules for runs, from configuration (<c>Runs</c> section).</summary>
/// <param name="ResultRetention">How long a stored result is kept (each saved query's latest is kept longer).</param>
/// <param name="MaxResultBytes">Reading a data source stops once a run's rows take about this many bytes.</param>
/// <param name="SlowRunThreshold">Runs at least this long are logged as slow (without parameter values).</param>
/// <param name="MaxAttempts">Attempts of one run (a lost worker or a retryable error starts another) before it fails.</param>
/// <param name="MaxQueuedPerOrganization">Runs one organization may have waiting to start; a new one beyond it is refused (429).</param>
public sealed record RunSettings(TimeSpan ResultRetention, long MaxResultBytes, TimeSpan SlowRunThreshold, int MaxAttempts = 3, int MaxQueuedPerOrganization = 200)
{
    public static RunSettings Default { get; } = new(TimeSpan.FromDays(7), 1L << 30, TimeSpan.FromSeconds(1));
}
