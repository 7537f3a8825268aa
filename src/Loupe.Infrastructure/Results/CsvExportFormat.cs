using System.Buffers;
using System.Text;
using Loupe.Application.Common.Connectors;
using Loupe.Application.Common.Results;

namespace Loupe.Infrastructure.Results;

/// <summary>
/// RFC 4180: UTF-8 (a byte order mark first when asked for), a header line of column names, CRLF after
/// every record, fields holding a comma, quote, CR or LF quoted with their quotes doubled. SQL NULL is an
/// empty field and the empty string a quoted empty field (<c>""</c>), as PostgreSQL's <c>COPY … CSV</c>
/// writes them. Unless turned off, a cell a spreadsheet would read as a formula gets a single quote first
/// (ADR 0044); only a cell's first byte is looked at, and a number is left alone.
/// </summary>
internal sealed class CsvExportFormat(int columnCount, ExportOptions options) : ResultExportFormat
{
    private static readonly SearchValues<byte> NeedsQuotes = SearchValues.Create(",\"\r\n"u8);

    public override void WriteStart(IReadOnlyList<QueryColumn> columns, IBufferWriter<byte> output)
    {
        if (options.ByteOrderMark)
        {
            WriteBytes(output, "\uFEFF"u8);
        }

        for (var i = 0; i < columns.Count; i++)
        {
            if (i > 0)
            {
                WriteByte(output, (byte)',');
            }

            WriteCell(output, Encoding.UTF8.GetBytes(columns[i].Name));
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
                WriteCell(output, cells.Slice(start, length));
            }
        }

        WriteBytes(output, "\r\n"u8);
    }

    public override void WriteEnd(IBufferWriter<byte> output)
    {
    }

    /// <summary>
    /// True when a spreadsheet program would read the cell as a formula (OWASP's CSV injection list: a
    /// first character of <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or carriage return), and it is not
    /// simply a number such as <c>-12.5</c>.
    /// </summary>
    internal static bool IsFormulaLike(ReadOnlySpan<byte> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }

        return text[0] switch
        {
            (byte)'=' or (byte)'@' or (byte)'\t' or (byte)'\r' => true,
            (byte)'-' => !JsonNumber.IsValid(text),
            (byte)'+' => !JsonNumber.IsValid(text[1..]) || text[1] == '-',
            _ => false,
        };
    }

    private void WriteCell(IBufferWriter<byte> output, ReadOnlySpan<byte> text)
    {
        if (options.EscapeFormulas && IsFormulaLike(text))
        {
            WriteField(output, text, escaped: true);
            return;
        }

        WriteField(output, text, escaped: false);
    }

    private static void WriteField(IBufferWriter<byte> output, ReadOnlySpan<byte> text, bool escaped)
    {
        if (!escaped && text.Length > 0 && text.IndexOfAny(NeedsQuotes) < 0)
        {
            WriteBytes(output, text);
            return;
        }

        if (escaped && text.IndexOfAny(NeedsQuotes) < 0)
        {
            WriteByte(output, (byte)'\'');
            WriteBytes(output, text);
            return;
        }

        WriteByte(output, (byte)'"');
        if (escaped)
        {
            WriteByte(output, (byte)'\'');
        }

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
