using System.Globalization;

namespace Loupe.Domain.Queries.Parameters;

/// <summary>
/// How the SQL sent to the database (placeholders replaced by <c>$n</c>, see
/// <see cref="QueryParameters"/>) lines up with the SQL a person wrote: the list of replaced spans.
/// Text outside them is the same in both, only shifted; a position inside a replacement maps to the
/// start of its placeholder. Kept with a run (<see cref="Encode"/>) so that a database error's
/// position can be shown in the text the person wrote.
/// </summary>
public sealed class SqlSourceMap
{
    private readonly IReadOnlyList<Segment> _segments;

    internal SqlSourceMap(IReadOnlyList<Segment> segments) => _segments = segments;

    /// <summary>No replacement: the SQL sent is the SQL written.</summary>
    public static SqlSourceMap Identity { get; } = new([]);

    public bool IsIdentity => _segments.Count == 0;

    /// <summary>
    /// The offset in the written SQL (0-based, UTF-16) of an offset in the SQL sent: shifted by the
    /// replacements before it, or the placeholder's start when it falls inside one.
    /// </summary>
    public int ToOriginal(int position)
    {
        var shift = 0;
        foreach (var segment in _segments)
        {
            if (position < segment.RewrittenStart)
            {
                break;
            }

            if (position < segment.RewrittenStart + segment.RewrittenLength)
            {
                return segment.OriginalStart;
            }

            shift = segment.OriginalStart + segment.OriginalLength - (segment.RewrittenStart + segment.RewrittenLength);
        }

        return position + shift;
    }

    /// <summary>A span of the SQL sent as a span of the written SQL: a replacement stands for its whole placeholder.</summary>
    internal (int Position, int Length) ToOriginal(int position, int length)
    {
        foreach (var segment in _segments)
        {
            if (position >= segment.RewrittenStart && position < segment.RewrittenStart + segment.RewrittenLength)
            {
                return (segment.OriginalStart, segment.OriginalLength);
            }
        }

        return (ToOriginal(position), length);
    }

    /// <summary>Compact text for storage: <c>originalStart:originalLength:rewrittenStart:rewrittenLength</c> per replacement, joined by ';'.</summary>
    public string Encode() =>
        string.Join(';', _segments.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.OriginalStart}:{s.OriginalLength}:{s.RewrittenStart}:{s.RewrittenLength}")));

    /// <summary>Reads what <see cref="Encode"/> wrote; null or empty is <see cref="Identity"/>.</summary>
    public static SqlSourceMap Decode(string? encoded)
    {
        if (string.IsNullOrEmpty(encoded))
        {
            return Identity;
        }

        return new SqlSourceMap([.. encoded.Split(';').Select(part =>
        {
            var numbers = part.Split(':').Select(n => int.Parse(n, NumberStyles.None, CultureInfo.InvariantCulture)).ToArray();
            return numbers.Length == 4 ? new Segment(numbers[0], numbers[1], numbers[2], numbers[3]) : throw new FormatException("A source map segment has four numbers.");
        })]);
    }

    internal sealed record Segment(int OriginalStart, int OriginalLength, int RewrittenStart, int RewrittenLength);
}

/// <summary>A place in a SQL text as an editor shows it: 1-based line and column (columns in UTF-16 code units, as browsers count).</summary>
public readonly record struct SqlLocation(int Line, int Column)
{
    /// <summary>The line and column of a 0-based offset (clamped to the text); lines end at '\n' (a '\r' before it is part of the line).</summary>
    public static SqlLocation Of(string text, int offset)
    {
        ArgumentNullException.ThrowIfNull(text);
        offset = Math.Clamp(offset, 0, text.Length);
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return new SqlLocation(line, offset - lineStart + 1);
    }

    /// <summary>
    /// The 0-based UTF-16 offset of a database's 1-based character position (PostgreSQL counts
    /// characters, so a character outside the Basic Multilingual Plane is one position but two
    /// UTF-16 units); null when the position is not inside the text.
    /// </summary>
    public static int? OffsetOfCharacter(string text, int position)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (position < 1)
        {
            return null;
        }

        var index = 0;
        for (var character = 1; character < position; character++)
        {
            if (index >= text.Length)
            {
                return null;
            }

            index += char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]) ? 2 : 1;
        }

        return index <= text.Length ? index : null;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"line {Line}, column {Column}");
}
