using System.Globalization;
using System.Text;
using Loupe.Domain.Common;

namespace Loupe.Domain.Queries.Safety;

/// <summary>
/// A tokenizer following PostgreSQL's lexical rules closely enough that text inside comments
/// (nested block comments included), strings, escape strings, dollar quotes and quoted identifiers
/// is never mistaken for code. It assumes <c>standard_conforming_strings = on</c> (the default).
/// It never throws: a construct that never ends becomes a refusal.
/// </summary>
public static class SqlScanner
{
    public static SqlScan Scan(string sql)
    {
        sql ??= string.Empty;
        var tokens = new List<SqlToken>();
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            var next = At(sql, i + 1);
            if (IsSpace(c))
            {
                i++;
            }
            else if (c == '-' && next == '-')
            {
                i = SkipLineComment(sql, i);
            }
            else if (c == '/' && next == '*')
            {
                var end = SkipBlockComment(sql, i);
                if (end < 0)
                {
                    return Fail(SqlSafetyErrors.UnterminatedComment, sql, i, 2);
                }

                i = end;
            }
            else if (c is 'e' or 'E' && next == '\'')
            {
                var end = SkipString(sql, i + 1, backslashEscapes: true);
                if (end < 0)
                {
                    return Fail(SqlSafetyErrors.UnterminatedString, sql, i, 2);
                }

                tokens.Add(new(SqlTokenKind.StringLiteral, string.Empty, i, end - i));
                i = end;
            }
            else if (c is 'u' or 'U' && next == '&' && At(sql, i + 2) == '\'')
            {
                var end = SkipString(sql, i + 2, backslashEscapes: false);
                if (end < 0)
                {
                    return Fail(SqlSafetyErrors.UnterminatedString, sql, i, 3);
                }

                tokens.Add(new(SqlTokenKind.StringLiteral, string.Empty, i, end - i));
                i = end;
            }
            else if (c is 'u' or 'U' && next == '&' && At(sql, i + 2) == '"')
            {
                var failure = ScanUnicodeIdentifier(sql, i, tokens, out var end);
                if (failure is not null)
                {
                    return new(tokens, failure);
                }

                i = end;
            }
            else if (c is 'b' or 'B' or 'x' or 'X' or 'n' or 'N' && next == '\'')
            {
                var end = SkipString(sql, i + 1, backslashEscapes: false);
                if (end < 0)
                {
                    return Fail(SqlSafetyErrors.UnterminatedString, sql, i, 2);
                }

                tokens.Add(new(SqlTokenKind.StringLiteral, string.Empty, i, end - i));
                i = end;
            }
            else if (IsIdentifierStart(c))
            {
                var end = i + 1;
                while (end < sql.Length && IsIdentifierPart(sql[end]))
                {
                    end++;
                }

                tokens.Add(new(SqlTokenKind.Word, FoldCase(sql, i, end - i), i, end - i));
                i = end;
            }
            else if (c == '"')
            {
                var end = ScanQuotedIdentifier(sql, i + 1, out var value);
                if (end < 0)
                {
                    return Fail(SqlSafetyErrors.UnterminatedQuotedIdentifier, sql, i, 1);
                }

                tokens.Add(new(SqlTokenKind.QuotedIdentifier, value, i, end - i));
                i = end;
            }
            else if (c == '\'')
            {
                var end = SkipString(sql, i, backslashEscapes: false);
                if (end < 0)
                {
                    return Fail(SqlSafetyErrors.UnterminatedString, sql, i, 1);
                }

                tokens.Add(new(SqlTokenKind.StringLiteral, string.Empty, i, end - i));
                i = end;
            }
            else if (c == '$' && IsDigit(next))
            {
                var end = i + 1;
                while (end < sql.Length && IsDigit(sql[end]))
                {
                    end++;
                }

                tokens.Add(new(SqlTokenKind.Parameter, sql[i..end], i, end - i));
                i = end;
            }
            else if (c == '$' && DollarTagLength(sql, i) is var tagLength and > 0)
            {
                var tag = sql.Substring(i, tagLength);
                var close = sql.IndexOf(tag, i + tagLength, StringComparison.Ordinal);
                if (close < 0)
                {
                    return Fail(SqlSafetyErrors.UnterminatedDollarQuote, sql, i, tagLength);
                }

                var end = close + tagLength;
                tokens.Add(new(SqlTokenKind.DollarString, string.Empty, i, end - i));
                i = end;
            }
            else if (IsDigit(c))
            {
                var end = SkipNumber(sql, i);
                tokens.Add(new(SqlTokenKind.Number, sql[i..end], i, end - i));
                i = end;
            }
            else
            {
                tokens.Add(new(SqlTokenKind.Symbol, c.ToString(), i, 1));
                i++;
            }
        }

        return new(tokens, null);
    }

    private static SqlScan Fail(DomainError error, string sql, int position, int length) =>
        new([], SqlVerdict.Refused(error, sql, position, length));

    private static char At(string sql, int index) => index < sql.Length ? sql[index] : '\0';

    // PostgreSQL's whitespace: space, tab, newline, carriage return, form feed, vertical tab.
    private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\f' or '\v';

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private static bool IsHexDigit(char c) => IsDigit(c) || c is >= 'a' and <= 'f' or >= 'A' and <= 'F';

    // Like PostgreSQL, any non-ASCII character may start or continue an identifier.
    private static bool IsIdentifierStart(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or '_' or >= '\u0080';

    private static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || IsDigit(c) || c == '$';

    // PostgreSQL folds only ASCII letters of unquoted identifiers (in multi-byte encodings).
    private static string FoldCase(string sql, int start, int length)
    {
        var builder = new StringBuilder(length);
        for (var i = start; i < start + length; i++)
        {
            var c = sql[i];
            builder.Append(c is >= 'A' and <= 'Z' ? (char)(c + ('a' - 'A')) : c);
        }

        return builder.ToString();
    }

    private static int SkipLineComment(string sql, int start)
    {
        var i = start + 2;
        while (i < sql.Length && sql[i] is not '\n' and not '\r')
        {
            i++;
        }

        return i;
    }

    /// <summary>Skips a block comment, counting nested ones; -1 when it never ends.</summary>
    private static int SkipBlockComment(string sql, int start)
    {
        var depth = 0;
        var i = start;
        while (i < sql.Length)
        {
            if (sql[i] == '/' && At(sql, i + 1) == '*')
            {
                depth++;
                i += 2;
            }
            else if (sql[i] == '*' && At(sql, i + 1) == '/')
            {
                depth--;
                i += 2;
                if (depth == 0)
                {
                    return i;
                }
            }
            else
            {
                i++;
            }
        }

        return -1;
    }

    /// <summary>Skips whitespace and comments; -1 when a block comment never ends.</summary>
    private static int SkipTrivia(string sql, int start)
    {
        var i = start;
        while (i < sql.Length)
        {
            if (IsSpace(sql[i]))
            {
                i++;
            }
            else if (sql[i] == '-' && At(sql, i + 1) == '-')
            {
                i = SkipLineComment(sql, i);
            }
            else if (sql[i] == '/' && At(sql, i + 1) == '*')
            {
                i = SkipBlockComment(sql, i);
                if (i < 0)
                {
                    return -1;
                }
            }
            else
            {
                break;
            }
        }

        return i;
    }

    /// <summary>Skips a string whose opening quote is at <paramref name="quote"/>; -1 when it never ends.</summary>
    private static int SkipString(string sql, int quote, bool backslashEscapes)
    {
        var i = quote + 1;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (backslashEscapes && c == '\\')
            {
                i += 2;
            }
            else if (c == '\'')
            {
                if (At(sql, i + 1) != '\'')
                {
                    return i + 1;
                }

                i += 2;
            }
            else
            {
                i++;
            }
        }

        return -1;
    }

    /// <summary>Scans the body of a quoted identifier after its opening quote; -1 when it never ends.</summary>
    private static int ScanQuotedIdentifier(string sql, int bodyStart, out string value)
    {
        var builder = new StringBuilder();
        var i = bodyStart;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c == '"')
            {
                if (At(sql, i + 1) != '"')
                {
                    value = builder.ToString();
                    return i + 1;
                }

                builder.Append('"');
                i += 2;
            }
            else
            {
                builder.Append(c);
                i++;
            }
        }

        value = string.Empty;
        return -1;
    }

    /// <summary>
    /// Scans <c>U&amp;"..."</c> with an optional <c>UESCAPE 'c'</c> clause and decodes its escapes,
    /// so <c>U&amp;"pg\005fread_file"</c> is seen as <c>pg_read_file</c>.
    /// </summary>
    private static SqlVerdict? ScanUnicodeIdentifier(string sql, int start, List<SqlToken> tokens, out int end)
    {
        end = ScanQuotedIdentifier(sql, start + 3, out var raw);
        if (end < 0)
        {
            return SqlVerdict.Refused(SqlSafetyErrors.UnterminatedQuotedIdentifier, sql, start, 3);
        }

        var escape = '\\';
        var afterTrivia = SkipTrivia(sql, end);
        if (afterTrivia > 0 && IsUescapeWord(sql, afterTrivia))
        {
            var quote = SkipTrivia(sql, afterTrivia + 7);
            if (quote < 0 || At(sql, quote) != '\'')
            {
                return SqlVerdict.Refused(SqlSafetyErrors.InvalidUnicodeEscape, sql, afterTrivia, 7);
            }

            var stringEnd = SkipString(sql, quote, backslashEscapes: false);
            if (stringEnd < 0)
            {
                return SqlVerdict.Refused(SqlSafetyErrors.UnterminatedString, sql, quote, 1);
            }

            var body = sql.Substring(quote + 1, stringEnd - quote - 2).Replace("''", "'", StringComparison.Ordinal);
            if (body.Length != 1 || IsHexDigit(body[0]) || body[0] is '+' or '\'' or '"' || IsSpace(body[0]))
            {
                return SqlVerdict.Refused(SqlSafetyErrors.InvalidUnicodeEscape, sql, quote, stringEnd - quote);
            }

            escape = body[0];
            end = stringEnd;
        }

        var value = DecodeUnicodeEscapes(raw, escape);
        if (value is null)
        {
            return SqlVerdict.Refused(SqlSafetyErrors.InvalidUnicodeEscape, sql, start, end - start);
        }

        tokens.Add(new(SqlTokenKind.QuotedIdentifier, value, start, end - start));
        return null;
    }

    private static bool IsUescapeWord(string sql, int i) =>
        i + 7 <= sql.Length
        && string.Compare(sql, i, "uescape", 0, 7, StringComparison.OrdinalIgnoreCase) == 0
        && !IsIdentifierPart(At(sql, i + 7));

    private static string? DecodeUnicodeEscapes(string raw, char escape)
    {
        var builder = new StringBuilder(raw.Length);
        var i = 0;
        while (i < raw.Length)
        {
            if (raw[i] != escape)
            {
                builder.Append(raw[i]);
                i++;
                continue;
            }

            if (At(raw, i + 1) == escape)
            {
                builder.Append(escape);
                i += 2;
                continue;
            }

            var plus = At(raw, i + 1) == '+';
            var digitsStart = plus ? i + 2 : i + 1;
            var digits = plus ? 6 : 4;
            if (digitsStart + digits > raw.Length)
            {
                return null;
            }

            for (var d = digitsStart; d < digitsStart + digits; d++)
            {
                if (!IsHexDigit(raw[d]))
                {
                    return null;
                }
            }

            var codePoint = int.Parse(raw.AsSpan(digitsStart, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            if (codePoint is 0 or > 0x10FFFF || codePoint is >= 0xD800 and <= 0xDFFF)
            {
                return null;
            }

            builder.Append(char.ConvertFromUtf32(codePoint));
            i = digitsStart + digits;
        }

        return builder.ToString();
    }

    /// <summary>Length of the <c>$tag$</c> (or <c>$$</c>) opening at <paramref name="start"/>, or 0.</summary>
    private static int DollarTagLength(string sql, int start)
    {
        var i = start + 1;
        if (At(sql, i) == '$')
        {
            return 2;
        }

        if (i >= sql.Length || !IsIdentifierStart(sql[i]))
        {
            return 0;
        }

        while (i < sql.Length && (IsIdentifierStart(sql[i]) || IsDigit(sql[i])))
        {
            i++;
        }

        return At(sql, i) == '$' ? i - start + 1 : 0;
    }

    /// <summary>
    /// Skips a numeric literal without swallowing letters after it, so <c>1into</c> reads as
    /// <c>1</c> then <c>into</c>, as older PostgreSQL versions read it.
    /// </summary>
    private static int SkipNumber(string sql, int start)
    {
        var i = start;
        if (sql[i] == '0' && At(sql, i + 1) is 'x' or 'X' or 'o' or 'O' or 'b' or 'B')
        {
            i += 2;
            while (i < sql.Length && (IsHexDigit(sql[i]) || sql[i] == '_'))
            {
                i++;
            }

            return i;
        }

        while (i < sql.Length && (IsDigit(sql[i]) || sql[i] == '_'))
        {
            i++;
        }

        if (At(sql, i) == '.' && At(sql, i + 1) != '.')
        {
            i++;
            while (i < sql.Length && (IsDigit(sql[i]) || sql[i] == '_'))
            {
                i++;
            }
        }

        if (At(sql, i) is 'e' or 'E')
        {
            var exponent = At(sql, i + 1) is '+' or '-' ? i + 2 : i + 1;
            if (IsDigit(At(sql, exponent)))
            {
                i = exponent;
                while (i < sql.Length && IsDigit(sql[i]))
                {
                    i++;
                }
            }
        }

        return i;
    }
}
