namespace Loupe.Application.Common.Connectors;

/// <summary>A sink that keeps every row in memory: for small, limited results only (previews, tests).</summary>
public sealed class RowCollector : IRowSink
{
    private readonly List<object?[]> _rows = [];

    public IReadOnlyList<QueryColumn> Columns { get; private set; } = [];

    public IReadOnlyList<object?[]> Rows => _rows;

    public ValueTask ColumnsAsync(IReadOnlyList<QueryColumn> columns, CancellationToken ct)
    {
        Columns = columns;
        return ValueTask.CompletedTask;
    }

    public ValueTask RowAsync(object?[] row, CancellationToken ct)
    {
        _rows.Add(row);
        return ValueTask.CompletedTask;
    }

    /// <summary>The collected rows with how the run ended.</summary>
    public QueryResult ToResult(QueryOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return new QueryResult(Columns, _rows, outcome.Truncated, _rows.Count);
    }
}
