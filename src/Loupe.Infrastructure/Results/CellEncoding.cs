using System.Buffers;
using System.Text;

namespace Loupe.Infrastructure.Results;

/// <summary>
/// The cell layout of a chunk (ADR 0022): cells row after row, each an unsigned LEB128 varint of its
/// UTF-8 length plus one (<c>0</c> is SQL NULL, <c>1</c> the empty string), then its UTF-8 bytes.
/// </summary>
internal static class CellEncoding
{
    /// <summary>A varint of a 32-bit value takes at most five bytes.</summary>
    private const int MaxVarintLength = 5;

    private const int MaxFixedTextLength = 64;

    public static void WriteNull(IBufferWriter<byte> cells)
    {
        cells.GetSpan(1)[0] = 0;
        cells.Advance(1);
    }

    public static void WriteText(IBufferWriter<byte> cells, ReadOnlySpan<byte> utf8)
    {
        var span = cells.GetSpan(MaxVarintLength + utf8.Length);
        var header = WriteVarint(span, (uint)utf8.Length + 1);
        utf8.CopyTo(span[header..]);
        cells.Advance(header + utf8.Length);
    }

    public static void WriteText(IBufferWriter<byte> cells, string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        var span = cells.GetSpan(MaxVarintLength + length);
        var header = WriteVarint(span, (uint)length + 1);
        Encoding.UTF8.GetBytes(text, span[header..]);
        cells.Advance(header + length);
    }

    /// <summary>Writes a value's canonical text (<see cref="CellText"/>), or NULL.</summary>
    public static void WriteValue(IBufferWriter<byte> cells, object? value, TextKind kind, TextKind elementKind)
    {
        switch (value)
        {
            case null or DBNull:
                WriteNull(cells);
                return;
            case string text:
                WriteText(cells, text);
                return;
            case byte[] bytes:
                {
                    var length = 2 + (2 * bytes.Length);
                    var span = cells.GetSpan(MaxVarintLength + length);
                    var header = WriteVarint(span, (uint)length + 1);
                    CellText.WriteByteaHex(bytes, span.Slice(header, length));
                    cells.Advance(header + length);
                    return;
                }
        }

        var fixedSpan = cells.GetSpan(1 + MaxFixedTextLength);
        if (CellText.TryFormatFixed(value, kind, fixedSpan[1..], out var written))
        {
            // Fixed-size texts are shorter than 127 bytes: their varint is one byte.
            fixedSpan[0] = (byte)(written + 1);
            cells.Advance(1 + written);
            return;
        }

        WriteText(cells, CellText.ToText(value, kind, elementKind));
    }

    /// <summary>
    /// Reads the cell at <paramref name="position"/> and moves past it: its bytes start at
    /// <paramref name="start"/>; <paramref name="length"/> is -1 for NULL.
    /// </summary>
    /// <exception cref="InvalidDataException">The cells end inside this one.</exception>
    public static void ReadCell(ReadOnlySpan<byte> cells, ref int position, out int start, out int length)
    {
        var encoded = ReadVarint(cells, ref position);
        if (encoded > int.MaxValue)
        {
            throw new InvalidDataException("A stored result chunk holds a malformed length.");
        }

        length = (int)encoded - 1;
        start = position;
        if (length > 0)
        {
            if (length > cells.Length - position)
            {
                throw new InvalidDataException("A stored result chunk ends inside a cell.");
            }

            position += length;
        }
    }

    /// <summary>Writes <paramref name="value"/> as an unsigned LEB128 varint; answers its length.</summary>
    public static int WriteVarint(Span<byte> destination, uint value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    /// <exception cref="InvalidDataException">The varint is cut off or longer than five bytes.</exception>
    public static uint ReadVarint(ReadOnlySpan<byte> source, ref int position)
    {
        uint value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            if ((uint)position >= (uint)source.Length)
            {
                throw new InvalidDataException("A stored result chunk ends inside a length.");
            }

            var next = source[position++];
            value |= (uint)(next & 0x7F) << shift;
            if (next < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("A stored result chunk holds a malformed length.");
    }
}
