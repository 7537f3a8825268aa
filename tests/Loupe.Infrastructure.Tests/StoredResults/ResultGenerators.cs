using FsCheck;
using FsCheck.Fluent;

namespace Loupe.Infrastructure.Tests.StoredResults;

/// <summary>Tables of text cells for export and codec properties: NULLs, empty strings, and text full of what formats must escape.</summary>
internal static class ResultGenerators
{
    /// <summary>Pieces that trip CSV and JSON writers, with arbitrary characters (no lone surrogates: they are not text).</summary>
    private static readonly Gen<string> Piece = Gen.OneOf(
        Gen.Elements(",", "\"", "\r", "\n", "\r\n", " ", "\\", "\t", "\0", "\u001f", "a", "Z", "0", "é", "€", "🦆", "\u2028", "NULL", "\"\""),
        Gen.Choose(0x20, 0xD7FF).Select(c => ((char)c).ToString()),
        Gen.Choose(0xE000, 0xFFFD).Select(c => ((char)c).ToString()));

    public static readonly Gen<string> Text = Gen.Choose(0, 12).SelectMany(n => Piece.ArrayOf(n)).Select(pieces => string.Concat(pieces));

    /// <summary>NULL about one time in six.</summary>
    public static readonly Gen<string?> Cell = Gen.Frequency((1, Gen.Constant<string?>(null)), (5, Text.Select(t => (string?)t)));

    /// <summary>Column names (never null) and rows of cells, one to five columns, up to twenty rows.</summary>
    public static readonly Gen<(string[] Names, string?[][] Rows)> Table =
        Gen.Choose(1, 5).SelectMany(columns =>
            Text.ArrayOf(columns).SelectMany(names =>
                Gen.Choose(0, 20).SelectMany(rows => Cell.ArrayOf(columns).ArrayOf(rows)).Select(rows => (names, rows))));
}
