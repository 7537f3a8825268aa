using System.Buffers;
using Loupe.Application.Common.Connectors;

namespace Loupe.Infrastructure.Results;

/// <summary>
/// The rows of the chunk being written, as cells (<see cref="CellEncoding"/>). A chunk is full at
/// <see cref="MaxRows"/> rows or <see cref="MaxBytes"/> bytes of cells, whichever comes first; the builder
/// is then compressed, stored and cleared, so it never holds more than one chunk.
/// </summary>
internal sealed class ChunkBuilder
{
    public const int MaxRows = 2_000;
    public const int MaxBytes = 512 * 1024;

    /// <summary>
    /// What the cells' buffer starts with. It grows (doubling) as rows come and keeps its size across the
    /// chunks of one result. It is not sized for a full chunk up front: most results are a few rows, and a
    /// 640 KiB buffer per run went to the large-object heap and cost gen-2 collections on every few runs
    /// (the jobs bench's small runs: about 1 ms of CPU each).
    /// </summary>
    internal const int InitialBytes = 4 * 1024;

    private readonly ArrayBufferWriter<byte> _cells = new(InitialBytes);
    private TextKind[] _kinds = [];
    private TextKind[] _elementKinds = [];

    public int RowCount { get; private set; }

    public bool IsFull => RowCount >= MaxRows || _cells.WrittenCount >= MaxBytes;

    public ReadOnlySpan<byte> Cells => _cells.WrittenSpan;

    /// <summary>How each column's values are written, from the columns' type names.</summary>
    public void UseColumns(IReadOnlyList<QueryColumn> columns)
    {
        _kinds = new TextKind[columns.Count];
        _elementKinds = new TextKind[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            _kinds[i] = ResultColumnType.TextKindOf(columns[i].TypeName);
            _elementKinds[i] = ResultColumnType.ElementTypeOf(columns[i].TypeName) is { } element
                ? ResultColumnType.TextKindOf(element)
                : TextKind.Plain;
        }
    }

    /// <exception cref="ArgumentException">The row does not have one value per column.</exception>
    public void Add(object?[] row)
    {
        if (row.Length != _kinds.Length)
        {
            throw new ArgumentException($"A row of {row.Length} values does not fit a result of {_kinds.Length} columns.", nameof(row));
        }

        for (var i = 0; i < row.Length; i++)
        {
            CellEncoding.WriteValue(_cells, row[i], _kinds[i], _elementKinds[i]);
        }

        RowCount++;
    }

    public void Clear()
    {
        _cells.ResetWrittenCount();
        RowCount = 0;
    }
}
