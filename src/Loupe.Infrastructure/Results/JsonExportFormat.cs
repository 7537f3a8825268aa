using System.Buffers;
using System.Text;
using Loupe.Application.Common.Connectors;

namespace Loupe.Infrastructure.Results;

/// <summary>
/// <c>{"columns":[{"name":…,"type":…}],"rows":[[…],…]}</c>: what <see cref="JsonCell"/> sends as its own
/// text (numbers a double holds exactly, booleans, JSON values of json columns) as it is, NULL as
/// <c>null</c>, everything else (<c>NaN</c>, integers beyond 2^53, long decimals too) as strings escaped per RFC 8259.
/// </summary>
internal sealed class JsonExportFormat : ResultExportFormat
{
    private static readonly SearchValues<byte> NeedsEscape = SearchValues.Create(EscapedBytes());

    private readonly JsonKind[] _kinds;
    private bool _anyRow;

    public JsonExportFormat(IReadOnlyList<QueryColumn> columns)
    {
        _kinds = columns.Select(c => ResultColumnType.JsonKindOf(c.TypeName)).ToArray();
    }

    public override void WriteStart(IReadOnlyList<QueryColumn> columns, IBufferWriter<byte> output)
    {
        WriteBytes(output, "{\"columns\":["u8);
        for (var i = 0; i < columns.Count; i++)
        {
            WriteBytes(output, i == 0 ? "{\"name\":"u8 : ",{\"name\":"u8);
            WriteString(output, Encoding.UTF8.GetBytes(columns[i].Name));
            WriteBytes(output, ",\"type\":"u8);
            WriteString(output, Encoding.UTF8.GetBytes(columns[i].TypeName));
            WriteByte(output, (byte)'}');
        }

        WriteBytes(output, "],\"rows\":["u8);
    }

    public override void WriteRow(ReadOnlySpan<byte> cells, ref int position, IBufferWriter<byte> output)
    {
        WriteBytes(output, _anyRow ? ",["u8 : "["u8);
        _anyRow = true;
        for (var i = 0; i < _kinds.Length; i++)
        {
            if (i > 0)
            {
                WriteByte(output, (byte)',');
            }

            CellEncoding.ReadCell(cells, ref position, out var start, out var length);
            if (length < 0)
            {
                WriteBytes(output, "null"u8);
                continue;
            }

            var text = cells.Slice(start, length);
            if (JsonCell.IsLiteral(text, _kinds[i]))
            {
                WriteBytes(output, text);
            }
            else
            {
                WriteString(output, text);
            }
        }

        WriteByte(output, (byte)']');
    }

    public override void WriteEnd(IBufferWriter<byte> output) => WriteBytes(output, "]}"u8);

    /// <summary>A JSON string: quotes around, and inside only what RFC 8259 requires escaped (quote, backslash, controls).</summary>
    internal static void WriteString(IBufferWriter<byte> output, ReadOnlySpan<byte> text)
    {
        WriteByte(output, (byte)'"');
        while (true)
        {
            var special = text.IndexOfAny(NeedsEscape);
            if (special < 0)
            {
                WriteBytes(output, text);
                break;
            }

            WriteBytes(output, text[..special]);
            Escape(output, text[special]);
            text = text[(special + 1)..];
        }

        WriteByte(output, (byte)'"');
    }

    private static void Escape(IBufferWriter<byte> output, byte value)
    {
        var shortForm = value switch
        {
            (byte)'"' => (byte)'"',
            (byte)'\\' => (byte)'\\',
            (byte)'\n' => (byte)'n',
            (byte)'\r' => (byte)'r',
            (byte)'\t' => (byte)'t',
            (byte)'\b' => (byte)'b',
            (byte)'\f' => (byte)'f',
            _ => (byte)0,
        };
        var destination = output.GetSpan(6);
        destination[0] = (byte)'\\';
        if (shortForm != 0)
        {
            destination[1] = shortForm;
            output.Advance(2);
            return;
        }

        "u00"u8.CopyTo(destination[1..]);
        destination[4] = HexDigit(value >> 4);
        destination[5] = HexDigit(value & 0xF);
        output.Advance(6);
    }

    private static byte HexDigit(int value) => (byte)(value < 10 ? '0' + value : 'a' + value - 10);

    private static byte[] EscapedBytes()
    {
        var bytes = new List<byte> { (byte)'"', (byte)'\\' };
        for (var control = 0; control < 0x20; control++)
        {
            bytes.Add((byte)control);
        }

        return [.. bytes];
    }
}
