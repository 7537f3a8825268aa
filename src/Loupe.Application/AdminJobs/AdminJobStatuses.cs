using Loupe.Application.Common.Jobs;

namespace Loupe.Application.AdminJobs;

/// <summary>A job status as the API spells it (snake_case), and the <c>state</c> filter's parsing.</summary>
public static class AdminJobStatuses
{
    public static IReadOnlyList<JobStatus> All { get; } = Enum.GetValues<JobStatus>();

    public static IReadOnlyList<string> Names { get; } = [.. All.Select(Name)];

    public static string Name(JobStatus status) => status switch
    {
        JobStatus.DeadLettered => "dead_lettered",
        _ => status.ToString().ToLowerInvariant(),
    };

    /// <summary>A comma-separated list of names; null or empty means every status.</summary>
    public static bool TryParse(string? text, out IReadOnlyList<JobStatus>? statuses)
    {
        statuses = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var parsed = new List<JobStatus>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var index = Names.ToList().IndexOf(part);
            if (index < 0)
            {
                return false;
            }

            parsed.Add(All[index]);
        }

        statuses = parsed.Distinct().ToList();
        return true;
    }

    /// <summary>Jobs per status name, every status present (zero when none), from the engine's counts per status, kind and queue.</summary>
    public static IReadOnlyDictionary<string, long> Totals(IEnumerable<JobCount> counts)
    {
        var totals = All.ToDictionary(Name, _ => 0L, StringComparer.Ordinal);
        foreach (var count in counts)
        {
            totals[Name(count.Status)] += count.Jobs;
        }

        return totals;
    }
}
