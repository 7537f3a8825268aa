using System.Globalization;
using Loupe.Domain.Common;
using Loupe.Domain.Queries.Safety;

namespace Loupe.Domain.Queries.Parameters;

/// <summary>The placeholders of a SQL text, and what is wrong with the way it writes them.</summary>
/// <param name="Tokenized">False when the text has a construct that never ends; its one error says which.</param>
public sealed record PlaceholderScan(IReadOnlyList<Placeholder> Placeholders, IReadOnlyList<DomainError> Errors, bool Tokenized = true);

/// <summary>
/// Finds <c>{{ name }}</c> placeholders with the SQL safety scanner's tokenizer, so that text inside
/// comments, string literals (plain, <c>E''</c>, <c>U&amp;''</c>, …), dollar quotes and quoted identifiers
/// is never a placeholder — there it is just text, sent as written. Everywhere else:
/// <list type="bullet">
/// <item><c>{{</c> opens a placeholder, which the next <c>}}</c> closes. Between them: optional
/// whitespace, a name (an ASCII letter or '_', then letters, digits or '_', at most 64 characters),
/// optionally <c>.start</c> or <c>.end</c>, optional whitespace. Anything else is refused
/// (<c>{{</c> is never valid PostgreSQL outside a string or comment, so nothing legitimate is lost).</item>
/// <item>A positional parameter (<c>$1</c>) is refused: those numbers are Loupe's.</item>
/// <item>A construct that never ends (a string, comment, quote) is refused as the safety check refuses it.</item>
/// </list>
/// It never throws.
/// </summary>
public static class SqlPlaceholders
{
    public static PlaceholderScan Find(string sql)
    {
        sql ??= string.Empty;
        var scan = SqlScanner.Scan(sql);
        if (scan.Failure?.Reason is { } failure)
        {
            return new PlaceholderScan([], [failure], Tokenized: false);
        }

        var tokens = scan.Tokens;
        var placeholders = new List<Placeholder>();
        var errors = new List<DomainError>();
        var positionalReported = false;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Kind == SqlTokenKind.Parameter)
            {
                if (!positionalReported)
                {
                    positionalReported = true;
                    errors.Add(ParameterErrors.PositionalParameter with
                    {
                        Message = $"{ParameterErrors.PositionalParameter.Message} Found {TextPosition.Describe(sql, token.Position, token.Length)}.",
                    });
                }

                continue;
            }

            if (!IsPair(tokens, i, '{'))
            {
                continue;
            }

            var close = FindClose(tokens, i + 2);
            if (close < 0)
            {
                errors.Add(ParameterErrors.PlaceholderMalformed(TextPosition.Describe(sql, token.Position, 2)));
                i++;
                continue;
            }

            var end = tokens[close + 1].Position + 1;
            var inner = sql.AsSpan(token.Position + 2, tokens[close].Position - token.Position - 2);
            if (TryRead(inner, out var name, out var part))
            {
                placeholders.Add(new Placeholder(name, part, token.Position, end - token.Position));
            }
            else
            {
                errors.Add(ParameterErrors.PlaceholderMalformed(TextPosition.Describe(sql, token.Position, end - token.Position)));
            }

            i = close + 1;
        }

        return new PlaceholderScan(placeholders, errors);
    }

    /// <summary>Two adjacent one-character symbols, <c>{{</c> or <c>}}</c>, start at token <paramref name="i"/>.</summary>
    private static bool IsPair(IReadOnlyList<SqlToken> tokens, int i, char symbol) =>
        i + 1 < tokens.Count
        && tokens[i].IsSymbol(symbol)
        && tokens[i + 1].IsSymbol(symbol)
        && tokens[i + 1].Position == tokens[i].Position + 1;

    /// <summary>The token index of the <c>}}</c> closing a placeholder, or -1 when another <c>{{</c> or the end comes first.</summary>
    private static int FindClose(IReadOnlyList<SqlToken> tokens, int from)
    {
        for (var j = from; j < tokens.Count; j++)
        {
            if (IsPair(tokens, j, '}'))
            {
                return j;
            }

            if (IsPair(tokens, j, '{'))
            {
                return -1;
            }
        }

        return -1;
    }

    private static bool TryRead(ReadOnlySpan<char> inner, out string name, out PlaceholderPart part)
    {
        name = string.Empty;
        part = PlaceholderPart.Whole;
        var text = inner.Trim(" \t\n\r\f\v");
        var dot = text.IndexOf('.');
        var namePart = dot < 0 ? text : text[..dot];
        if (dot >= 0)
        {
            var suffix = text[(dot + 1)..];
            if (suffix.SequenceEqual("start"))
            {
                part = PlaceholderPart.Start;
            }
            else if (suffix.SequenceEqual("end"))
            {
                part = PlaceholderPart.End;
            }
            else
            {
                return false;
            }
        }

        name = namePart.ToString();
        return ParameterDefinition.IsName(name);
    }
}

/// <summary>Says where something is in a text the way the safety check does: the text, its offset, line and column.</summary>
internal static class TextPosition
{
    private const int MaxShown = 64;

    public static string Describe(string text, int position, int length)
    {
        position = Math.Clamp(position, 0, text.Length);
        length = Math.Clamp(length, 0, Math.Min(text.Length - position, MaxShown));
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < position; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        var shown = length == 0 ? "end of text" : text.Substring(position, length);
        return string.Create(CultureInfo.InvariantCulture, $"`{shown}` at position {position} (line {line}, column {position - lineStart + 1})");
    }
}
