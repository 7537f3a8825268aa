using System.Buffers;
using Loupe.Application.Common.Connectors;
using Loupe.Application.Common.Results;

namespace Loupe.Infrastructure.Results;

/// <summary>Turns stored cells into one export format, row by row, into an output buffer that the caller drains.</summary>
internal abstract class ResultExportFormat
{
    public abstract void WriteStart(IReadOnlyList<QueryColumn> columns, IBufferWriter<byte> output);

    /// <summary>Writes the row whose cells start at <paramref name="position"/> and moves past them.</summary>
    public abstract void WriteRow(ReadOnlySpan<byte> cells, ref int position, IBufferWriter<byte> output);

    public abstract void WriteEnd(IBufferWriter<byte> output);

    public static ResultExportFormat For(ResultFormat format, ExportOptions options, IReadOnlyList<QueryColumn> columns) => format switch
    {
        ResultFormat.Csv => new CsvExportFormat(columns.Count, options),
        ResultFormat.Json => new JsonExportFormat(columns),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown result format."),
    };

    protected static void WriteBytes(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }

    protected static void WriteByte(IBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }
}
