using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Loupe.Infrastructure.Jobs;

/// <summary>
/// The engine's instruments, on the meter <c>Loupe.Jobs</c> (exported with the rest at <c>/metrics</c>
/// once that exists): claims, attempts by outcome, durations, queue latency, failures, running jobs and
/// the depth of the queue (due jobs, as the last sweep counted them). The two histograms are in seconds
/// and say so to the exporter with <see cref="Buckets"/>: without that advice the SDK's default bounds
/// (0, 5, 10 … 10,000, made for milliseconds) would put every job of under five seconds in one bucket.
/// </summary>
internal sealed class JobMetrics
{
    public const string MeterName = "Loupe.Jobs";

    /// <summary>Bucket bounds, in seconds, of the duration and queue-latency histograms: 5 ms to 30 minutes.</summary>
    public static readonly IReadOnlyList<double> Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

    private readonly Counter<long> _claimed;
    private readonly Counter<long> _finished;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _swept;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _queueLatency;
    private long _queueDepth;
    private Func<int> _running = () => 0;

    private static readonly InstrumentAdvice<double> InSeconds = new() { HistogramBucketBoundaries = Buckets };

    public JobMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _claimed = meter.CreateCounter<long>("loupe.jobs.claimed", "{job}", "Attempts claimed by this node.");
        _finished = meter.CreateCounter<long>("loupe.jobs.finished", "{job}", "Attempts ended on this node, by outcome.");
        _failures = meter.CreateCounter<long>("loupe.jobs.failures", "{job}", "Attempts that failed (retried, failed or dead-lettered), by kind.");
        _swept = meter.CreateCounter<long>("loupe.jobs.lease_expired", "{job}", "Jobs whose lease expired, taken back by this node's sweeper.");
        _duration = meter.CreateHistogram("loupe.jobs.duration", "s", "How long attempts ran, by kind and outcome.", tags: null, InSeconds);
        _queueLatency = meter.CreateHistogram("loupe.jobs.queue_latency", "s", "From enqueue to the first claim.", tags: null, InSeconds);
        meter.CreateObservableGauge("loupe.jobs.queue_depth", () => Interlocked.Read(ref _queueDepth), "{job}", "Due jobs waiting for a node.");
        meter.CreateObservableGauge("loupe.jobs.running", () => _running(), "{job}", "Jobs running on this node.");
    }

    public void ObserveRunning(Func<int> running) => _running = running;

    public void Claimed(ClaimedJob job)
    {
        _claimed.Add(1, new KeyValuePair<string, object?>("kind", job.Kind));
        if (job.Attempt == 1)
        {
            _queueLatency.Record(Math.Max(0, (job.ClaimedAt - job.EnqueuedAt).TotalSeconds), new KeyValuePair<string, object?>("kind", job.Kind));
        }
    }

    public void Finished(string kind, string outcome, TimeSpan duration, bool failed)
    {
        var tags = new TagList { { "kind", kind }, { "outcome", outcome } };
        _finished.Add(1, tags);
        _duration.Record(duration.TotalSeconds, tags);
        if (failed)
        {
            _failures.Add(1, new KeyValuePair<string, object?>("kind", kind));
        }
    }

    public void Swept(SweepResult result)
    {
        Interlocked.Exchange(ref _queueDepth, result.Ready);
        var expired = result.Requeued + result.DeadLettered + result.Cancelled;
        if (expired > 0)
        {
            _swept.Add(expired);
        }
    }
}
