using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Loupe.Infrastructure.Results;

/// <summary>
/// Cells as the values of a result page, as its JSON answer shows them (ADR 0022): in numeric columns a
/// cell that is a JSON number becomes a <see cref="long"/> (integer columns), else a <see cref="decimal"/>
/// or <see cref="double"/> that writes back as the same text (a <see cref="JsonElement"/> when neither
/// does, e.g. a numeric of 40 digits); <c>true</c>/<c>false</c> in boolean columns become
/// <see cref="bool"/>s; NULL is <see langword="null"/>; everything else (<c>NaN</c> too) a string.
/// </summary>
internal static class PageValues
{
    private static readonly object True = true;
    private static readonly object False = false;

    /// <summary>
    /// Reads <paramref name="take"/> rows after skipping <paramref name="skip"/> rows of a chunk's cells, each
    /// cell as much as <paramref name="budget"/> lets the page hold.
    /// </summary>
    public static async ValueTask ReadRowsAsync(
        ChunkCellReader cells, JsonKind[] kinds, int skip, int take, PageBudget budget, List<object?[]> rows, CancellationToken ct)
    {
        for (long i = (long)skip * kinds.Length; i > 0; i--)
        {
            await cells.SkipAsync(await cells.NextCellAsync(ct).ConfigureAwait(false), ct).ConfigureAwait(false);
        }

        for (var r = 0; r < take; r++)
        {
            var row = new object?[kinds.Length];
            for (var i = 0; i < kinds.Length; i++)
            {
                var length = await cells.NextCellAsync(ct).ConfigureAwait(false);
                if (length >= 0)
                {
                    var kept = await cells.TakeAsync(length, budget.Keep(length), ct).ConfigureAwait(false);
                    row[i] = budget.Value(kept.Span, length, kinds[i]);
                }
            }

            rows.Add(row);
        }
    }

    public static object ToValue(ReadOnlySpan<byte> text, JsonKind kind)
    {
        switch (kind)
        {
            case JsonKind.Boolean when text.SequenceEqual("true"u8):
                return True;
            case JsonKind.Boolean when text.SequenceEqual("false"u8):
                return False;
            case JsonKind.Integer when JsonNumber.IsValid(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole):
                return whole;
            case JsonKind.Integer or JsonKind.Number when JsonNumber.IsValid(text):
                return Number(text);
            default:
                return Encoding.UTF8.GetString(text);
        }
    }

    private static object Number(ReadOnlySpan<byte> text)
    {
        Span<byte> formatted = stackalloc byte[64];
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var exact)
            && exact.TryFormat(formatted, out var written, default, CultureInfo.InvariantCulture)
            && formatted[..written].SequenceEqual(text))
        {
            return exact;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var floating)
            && floating.TryFormat(formatted, out written, "R", CultureInfo.InvariantCulture)
            && formatted[..written].SequenceEqual(text))
        {
            return floating;
        }

        return JsonSerializer.Deserialize<JsonElement>(text);
    }
}
