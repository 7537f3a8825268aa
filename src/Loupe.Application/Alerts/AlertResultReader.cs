using Loupe.Application.Common.Results;
using Loupe.Domain.Alerts;
using Loupe.Domain.Runs;

namespace Loupe.Application.Alerts;

/// <summary>
/// Reads what a set of conditions needs of a run's stored result, page by page, keeping only the
/// columns they name: nothing but the row count for <c>row_count</c>, the first row for
/// <c>first_row</c>, every row for the others. A result no longer stored answers every condition
/// <c>unknown</c> (<c>result_unavailable</c>).
/// </summary>
internal sealed class AlertResultReader(IResultStore store)
{
    /// <summary>Rows per page read: a page holds every column of its rows, within the page byte budget.</summary>
    private const int PageRows = 500;

    /// <summary>What these conditions read: the columns they name, and how many rows (0, 1 or all).</summary>
    public static AlertResultNeeds Needs(IEnumerable<AlertCondition> conditions)
    {
        var columns = new HashSet<string>(StringComparer.Ordinal);
        var rows = 0L;
        foreach (var condition in conditions)
        {
            if (condition.Column is { } column)
            {
                columns.Add(column);
            }

            rows = Math.Max(rows, condition.Selector switch
            {
                AlertSelector.RowCount => 0,
                AlertSelector.FirstRow => 1,
                _ => long.MaxValue,
            });
        }

        return new AlertResultNeeds(columns, rows);
    }

    public async Task<AlertResult> ReadAsync(QueryRun run, AlertResultNeeds needs, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(needs);
        if (!run.HasResult || run.ResultAttempt is not { } attempt)
        {
            return AlertResult.Unavailable(needs);
        }

        var first = await store.ReadPageAsync(run.Id, attempt, 0, (int)Math.Min(needs.Rows, PageRows), ct).ConfigureAwait(false);
        if (first is null)
        {
            return AlertResult.Unavailable(needs);
        }

        var kept = first.Columns.Select((c, i) => (c.Name, Index: i)).Where(c => needs.Columns.Contains(c.Name)).ToArray();
        var rows = new List<IReadOnlyList<object?>>();
        Keep(first, kept, rows);
        var read = (long)first.Rows.Count;
        while (read < Math.Min(needs.Rows, first.TotalRows))
        {
            var page = await store.ReadPageAsync(run.Id, attempt, read, PageRows, ct).ConfigureAwait(false);
            if (page is null)
            {
                // Removed while it was read (the retention job): no half answer.
                return AlertResult.Unavailable(needs);
            }

            if (page.Rows.Count == 0)
            {
                break;
            }

            Keep(page, kept, rows);
            read += page.Rows.Count;
        }

        return new AlertResult(needs, [.. kept.Select(c => c.Name)], rows, first.TotalRows, run.Truncated ?? false, Available: true);
    }

    private static void Keep(ResultPage page, (string Name, int Index)[] kept, List<IReadOnlyList<object?>> rows)
    {
        foreach (var row in page.Rows)
        {
            var cells = new object?[kept.Length];
            for (var i = 0; i < kept.Length; i++)
            {
                var cell = row[kept[i].Index];
                cells[i] = cell is TruncatedCell ? AlertEvaluator.Truncated : cell;
            }

            rows.Add(cells);
        }
    }
}

/// <summary>The columns conditions name, and how many rows they read (0: the count only, 1: the first, <see cref="long.MaxValue"/>: all).</summary>
internal sealed record AlertResultNeeds(IReadOnlySet<string> Columns, long Rows);

/// <summary>What was read of a result for a set of conditions; answers each of them.</summary>
internal sealed record AlertResult(
    AlertResultNeeds Read, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<object?>> Rows, long TotalRows, bool Truncated, bool Available)
{
    public static AlertResult Unavailable(AlertResultNeeds needs) => new(needs, [], [], 0, false, Available: false);

    /// <summary>Whether what was read answers conditions that need <paramref name="needs"/>.</summary>
    public bool Covers(AlertResultNeeds needs) => needs.Rows <= Read.Rows && needs.Columns.IsSubsetOf(Read.Columns);

    public AlertEvaluation Evaluate(AlertCondition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        if (!Available)
        {
            return AlertEvaluation.Unknown(AlertReasons.ResultUnavailable);
        }

        return condition.Selector == AlertSelector.RowCount
            ? AlertEvaluator.EvaluateRowCount(condition, TotalRows, Truncated)
            : AlertEvaluator.Evaluate(condition, Columns, Rows, Truncated);
    }
}
