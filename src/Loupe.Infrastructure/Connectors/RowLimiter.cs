using System.Text;
using Loupe.Application.Common.Connectors;

namespace Loupe.Infrastructure.Connectors;

/// <summary>
/// The row and byte limits of the execution guard (docs/limits.md), the same for every connector: rows go
/// to the sink up to <c>maxRows</c>, one more row is read only to learn that the result was cut, and
/// reading stops before the row that would take the rows read past <c>maxBytes</c>. A failure of the
/// sink (Loupe's result store, not the data source) comes out as a <see cref="RowSinkException"/>, so the
/// connector does not report it as the data source's error.
/// </summary>
internal sealed class RowLimiter(int maxRows, long maxBytes, IRowSink sink)
{
    private bool _columnsSent;
    private int _rows;
    private long _bytes;
    private bool _truncated;

    /// <summary>A limit was reached: read no further.</summary>
    public bool Done { get; private set; }

    /// <summary>Rows still to read: up to the limit, plus one to learn whether more exist.</summary>
    public int RowsWanted => maxRows - _rows + 1;

    public bool ColumnsSent => _columnsSent;

    /// <summary>Hands the columns to the sink, once.</summary>
    public async ValueTask ColumnsAsync(IReadOnlyList<QueryColumn> columns, CancellationToken ct)
    {
        if (_columnsSent)
        {
            return;
        }

        _columnsSent = true;
        try
        {
            await sink.ColumnsAsync(columns, ct).ConfigureAwait(false);
        }
        catch (Exception failure) when (!ct.IsCancellationRequested)
        {
            throw new RowSinkException(failure);
        }
    }

    /// <summary>
    /// Called when one more row was read, before its values are: <see langword="false"/> when the row
    /// limit is already reached (the result is then truncated and the row is not wanted).
    /// </summary>
    public bool TakesAnotherRow()
    {
        if (_rows < maxRows)
        {
            return true;
        }

        _truncated = true;
        Done = true;
        return false;
    }

    /// <summary>
    /// Hands the row to the sink unless it would take the result past the byte limit; then the result
    /// is truncated and <see langword="false"/> is returned.
    /// </summary>
    public async ValueTask<bool> AddAsync(object?[] row, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(row);
        long size = 0;
        foreach (var value in row)
        {
            size += ApproximateSize(value);
        }

        if (_bytes + size > maxBytes)
        {
            _truncated = true;
            Done = true;
            return false;
        }

        _bytes += size;
        _rows++;
        try
        {
            await sink.RowAsync(row, ct).ConfigureAwait(false);
        }
        catch (Exception failure) when (!ct.IsCancellationRequested)
        {
            throw new RowSinkException(failure);
        }

        return true;
    }

    public QueryOutcome ToOutcome() => new(_rows, _truncated, _bytes);

    /// <summary>About how many bytes a value takes: text as UTF-8, binary as is, other values 8 bytes, NULL 1.</summary>
    internal static long ApproximateSize(object? value) => value switch
    {
        null => 1,
        string text => Encoding.UTF8.GetByteCount(text),
        byte[] bytes => bytes.Length,
        Array array => 16 + (array.Length * 8),
        _ => 8,
    };
}
