using System.Buffers;
using System.Text;
using Loupe.Application.Common.Connectors;

namespace Loupe.Infrastructure.Results;

/// <summary>
/// RFC 4180: UTF-8 without a byte order mark, a header line of column names, CRLF after every record,
/// fields holding a comma, quote, CR or LF quoted with their quotes doubled. SQL NULL is an empty field
/// and the empty string a quoted empty field (<c>""</c>), as PostgreSQL's <c>COPY … CSV</c> writes them.
/// </summary>
internal sealed class CsvExportFormat(int columnCount) : ResultExportFormat
{
    private static readonly SearchValues<byte> NeedsQuotes = SearchValues.Create(",\"\r\n"u8);

    public override void WriteStart(IReadOnlyList<QueryColumn> columns, IBufferWriter<byte> output)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (i > 0)
            {
                WriteByte(output, (byte)',');
            }

            WriteField(output, Encoding.UTF8.GetBytes(columns[i].Name));
        }

        WriteBytes(output, "\r\n"u8);
    }

    public override void WriteRow(ReadOnlySpan<byte> cells, ref int position, IBufferWriter<byte> output)
    {
        for (var i = 0; i < columnCount; i++)
        {
            if (i > 0)
            {
                WriteByte(output, (byte)',');
            }

            CellEncoding.ReadCell(cells, ref position, out var start, out var length);
            if (length >= 0)
            {
                WriteField(output, cells.Slice(start, length));
            }
        }

        WriteBytes(output, "\r\n"u8);
    }

    public override void WriteEnd(IBufferWriter<byte> output)
    {
    }

    private static void WriteField(IBufferWriter<byte> output, ReadOnlySpan<byte> text)
    {
        if (text.Length > 0 && text.IndexOfAny(NeedsQuotes) < 0)
        {
            WriteBytes(output, text);
            return;
        }

        WriteByte(output, (byte)'"');
        while (true)
        {
            var quote = text.IndexOf((byte)'"');
            if (quote < 0)
            {
                WriteBytes(output, text);
                break;
            }

            // The quote itself, then one more: a quote inside a quoted field is doubled.
            WriteBytes(output, text[..(quote + 1)]);
            WriteByte(output, (byte)'"');
            text = text[(quote + 1)..];
        }

        WriteByte(output, (byte)'"');
    }
}
