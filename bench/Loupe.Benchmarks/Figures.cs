using System.Globalization;

namespace Loupe.Benchmarks;

/// <summary>How every section turns samples into the figures it prints: percentiles, units and ratios.</summary>
internal static class Figures
{
    public static TimeSpan Median(IReadOnlyCollection<TimeSpan> samples) => Percentile(samples, 50);

    /// <summary>The middle sample (the lower of the two middle ones for an even count).</summary>
    public static long Median(IReadOnlyCollection<long> samples)
    {
        if (samples.Count == 0)
        {
            throw new ArgumentException("No samples.", nameof(samples));
        }

        return samples.Order().ElementAt((samples.Count - 1) / 2);
    }

    /// <summary>Nearest-rank percentile.</summary>
    public static TimeSpan Percentile(IReadOnlyCollection<TimeSpan> samples, int percent)
    {
        if (samples.Count == 0)
        {
            throw new ArgumentException("No samples.", nameof(samples));
        }

        var sorted = samples.Order().ToList();
        var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    /// <summary>"p50 … p95 … p99 … max …" of a latency distribution.</summary>
    public static string Spread(IReadOnlyCollection<TimeSpan> samples) =>
        $"p50 {Milliseconds(Percentile(samples, 50))} p95 {Milliseconds(Percentile(samples, 95))} p99 {Milliseconds(Percentile(samples, 99))} max {Milliseconds(samples.Max())}";

    /// <summary>"p50 … p99 …": the two points the latency targets name.</summary>
    public static string P50P99(IReadOnlyCollection<TimeSpan> samples) =>
        $"p50 {Milliseconds(Percentile(samples, 50))} p99 {Milliseconds(Percentile(samples, 99))}";

    public static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.000 s", CultureInfo.InvariantCulture);

    public static string Milliseconds(TimeSpan value) => value.TotalMilliseconds.ToString("0.00 ms", CultureInfo.InvariantCulture);

    public static string Megabytes(long bytes) => (bytes / 1_000_000.0).ToString("0.0 MB", CultureInfo.InvariantCulture);

    public static string PerSecond(double rate, string what) => $"{rate.ToString("0", CultureInfo.InvariantCulture)} {what}/s";

    public static string Percent(double fraction) => (fraction * 100).ToString("0", CultureInfo.InvariantCulture) + " %";

    public static string Ratio(TimeSpan numerator, TimeSpan denominator) => Ratio(numerator.TotalSeconds, denominator.TotalSeconds);

    public static string Ratio(double numerator, double denominator) =>
        (numerator / denominator).ToString("0.00", CultureInfo.InvariantCulture);
}
