namespace Loupe.Application.Common.Connectors;

/// <summary>
/// Receives a query's result as the connector reads it: the columns once, then each row. Rows are
/// not kept by the connector, so memory does not grow with the result.
/// </summary>
public interface IRowSink
{
    ValueTask ColumnsAsync(IReadOnlyList<QueryColumn> columns, CancellationToken ct);

    /// <summary>One row, values in column order (<see langword="null"/> for SQL NULL); the array is the sink's to keep.</summary>
    ValueTask RowAsync(object?[] row, CancellationToken ct);
}

/// <summary>How a guarded run ended: rows handed to the sink, whether the row or byte limit cut it, and about how many bytes it read.</summary>
public sealed record QueryOutcome(int RowCount, bool Truncated, long Bytes);
