using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Loupe.Benchmarks;

/// <summary>
/// Counts this process's database round trips while it is on, from Npgsql's own tracing (one activity
/// per command or batch sent; transaction commits and rollbacks are not traced), sorted by what each is
/// for, to tell where a run's time goes. Tracing costs a little: it is on only for a pass that measures
/// nothing else.
/// </summary>
internal sealed class StatementCounter : IDisposable
{
    /// <summary>What a statement is for, told by how its text starts; the first that matches wins.</summary>
    private static readonly (string Label, string[] Starts)[] Kinds =
    [
        ("EF Core savepoints", ["SAVEPOINT", "RELEASE SAVEPOINT"]),
        ("saves undone after a conflict", ["ROLLBACK TO"]),
        ("tenant setting on its own", ["SELECT set_config('loupe.organization_id', '"]),
        ("EF Core queries", ["DO $loupe$"]),
        ("run updates", ["UPDATE query_runs"]),
        ("result store", ["SELECT set_config('loupe.organization_id', $1"]),
        ("guard", ["SET TRANSACTION READ ONLY", "DECLARE loupe_guard", "FETCH ", "CLOSE loupe_guard"]),
        ("session resets", ["DISCARD ALL"]),
        ("claims", ["SELECT id, kind, payload"]),
        ("finishes", ["SELECT loupe_jobs_finish"]),
        ("new connections", ["CONNECT "]),
    ];

    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, double> _milliseconds = new(StringComparer.Ordinal);
    private readonly ActivityListener _listener;

    public StatementCounter()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                var kind = KindOf(activity);
                _counts.AddOrUpdate(kind, 1, (_, n) => n + 1);
                _milliseconds.AddOrUpdate(kind, activity.Duration.TotalMilliseconds, (_, ms) => ms + activity.Duration.TotalMilliseconds);
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>How many there were of each kind.</summary>
    public int this[string label] => _counts.GetValueOrDefault(label);

    /// <summary>"N in all: kind n, kind n, …" per item, the kinds in the order they are listed, "other" last.</summary>
    public string PerItem(int items)
    {
        string Each(int count) => (count / (double)items).ToString("0.0", CultureInfo.InvariantCulture);
        var kinds = Kinds.Select(k => k.Label).Append("other").Where(l => this[l] > 0).Select(l => $"{l} {Each(this[l])}");
        return $"{Each(_counts.Values.Sum())} in all: {string.Join(", ", kinds)}";
    }

    /// <summary>"kind mean ms, …": how long each kind of round trip took on average, from sent to its answer read.</summary>
    public string MeanTimes()
    {
        var kinds = Kinds.Select(k => k.Label).Append("other").Where(l => this[l] > 0);
        return string.Join(", ", kinds.Select(l => $"{l} {(_milliseconds.GetValueOrDefault(l) / this[l]).ToString("0.00", CultureInfo.InvariantCulture)} ms"));
    }

    public void Dispose() => _listener.Dispose();

    private static string KindOf(Activity activity)
    {
        var text = (activity.GetTagItem("db.query.text") as string ?? activity.DisplayName).TrimStart();
        return Kinds.FirstOrDefault(k => k.Starts.Any(start => text.StartsWith(start, StringComparison.Ordinal))).Label ?? "other";
    }
}
