using System.Text;
using Loupe.Application.Common.Results;

namespace Loupe.Infrastructure.Results;

/// <summary>
/// What a result page may hold (ADR 0031): each cell shows at most <c>maxCellBytes</c> of its text and the
/// page at most <c>maxPageBytes</c> in all, taken cell by cell in row order. A cell that does not fit whole
/// becomes a <see cref="TruncatedCell"/> with as much of its start as fits (cut on a character boundary)
/// and its full length; once the page is full, every further non-empty cell shows no text at all.
/// </summary>
internal sealed class PageBudget(long maxPageBytes, int maxCellBytes)
{
    private long _left = maxPageBytes;

    public int TruncatedCells { get; private set; }

    /// <summary>How many bytes of a cell of <paramref name="length"/> bytes the page takes.</summary>
    public int Keep(int length) => length <= maxCellBytes && length <= _left ? length : (int)Math.Min(maxCellBytes, _left);

    /// <summary>The cell's value in the page: <paramref name="kept"/> is what <see cref="Keep"/> allowed of its <paramref name="length"/> bytes.</summary>
    public object Value(ReadOnlySpan<byte> kept, int length, JsonKind kind)
    {
        _left -= kept.Length;
        if (kept.Length == length)
        {
            return PageValues.ToValue(kept, kind);
        }

        TruncatedCells++;
        return new TruncatedCell(length, Encoding.UTF8.GetString(kept[..WholeCharacters(kept)]));
    }

    /// <summary>How many of the bytes form whole UTF-8 characters: a sequence cut by the end is left out.</summary>
    internal static int WholeCharacters(ReadOnlySpan<byte> utf8)
    {
        var lead = utf8.Length - 1;
        while (lead >= 0 && utf8.Length - lead <= 3 && (utf8[lead] & 0xC0) == 0x80)
        {
            lead--;
        }

        if (lead < 0)
        {
            return utf8.Length;
        }

        var first = utf8[lead];
        var sequence = first < 0x80 ? 1 : (first & 0xE0) == 0xC0 ? 2 : (first & 0xF0) == 0xE0 ? 3 : (first & 0xF8) == 0xF0 ? 4 : 1;
        return lead + sequence > utf8.Length ? lead : utf8.Length;
    }
}
