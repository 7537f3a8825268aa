using System.Diagnostics.Metrics;
using Loupe.Domain.Runs;

namespace Loupe.Application.Runs;

/// <summary>
/// Runs by how they ended, on the meter <c>Loupe.Runs</c> (exported at <c>/metrics</c>, ADR 0040): counted
/// where a run is finished — by its worker, or by a cancel. The BCL's metrics API only; the hosts choose
/// the exporter.
/// </summary>
public static class RunMetrics
{
    public const string MeterName = "Loupe.Runs";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Ended =
        Meter.CreateCounter<long>("loupe.runs.finished", "{run}", "Runs that reached a final status, by status.");

    public static void Finished(RunStatus status)
    {
        if (status.IsFinished())
        {
            Ended.Add(1, new KeyValuePair<string, object?>("status", status.ToName()));
        }
    }
}
