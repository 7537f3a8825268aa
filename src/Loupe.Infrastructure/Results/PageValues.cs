using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Loupe.Infrastructure.Results;

/// <summary>
/// Cells as the values of a result page, as its JSON answer shows them (ADR 0022, 0044): a cell that
/// <see cref="JsonCell"/> sends as its own text becomes a <see cref="long"/> (integer columns), a
/// <see cref="decimal"/> or <see cref="double"/> that writes back as the same text (a <see cref="JsonElement"/>
/// when neither does), a <see cref="bool"/>, or a <see cref="JsonElement"/> (json columns); NULL is
/// <see langword="null"/>; everything else (<c>NaN</c>, integers beyond 2^53, long decimals) a string.
/// </summary>
internal static class PageValues
{
    private static readonly object True = true;
    private static readonly object False = false;
    private static readonly JsonSerializerOptions JsonCellOptions = new() { MaxDepth = JsonCell.MaxJsonDepth };

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
        if (!JsonCell.IsLiteral(text, kind))
        {
            return Encoding.UTF8.GetString(text);
        }

        return kind switch
        {
            JsonKind.Boolean => text[0] == 't' ? True : False,
            JsonKind.Integer when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) => whole,
            JsonKind.Json => JsonSerializer.Deserialize<JsonElement>(text, JsonCellOptions),
            _ => Number(text),
        };
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
