using System.Text;

namespace Loupe.Integration.Tests.StoredResults;

/// <summary>
/// A strict RFC 4180 reader for checking exports: records end with CRLF (the last one too); a field is
/// either quoted (quotes inside doubled; commas, CR and LF allowed) or holds none of comma, quote, CR,
/// LF. Anything else is refused. An unquoted empty field reads as <see langword="null"/>, a quoted empty
/// one as the empty string, which is how Loupe (like PostgreSQL's <c>COPY … CSV</c>) tells NULL from ''.
/// </summary>
internal static class StrictCsv
{
    public static List<string?[]> Parse(string text)
    {
        var records = new List<string?[]>();
        var fields = new List<string?>();
        var i = 0;
        while (i < text.Length)
        {
            fields.Add(ReadField(text, ref i));
            if (i < text.Length && text[i] == ',')
            {
                i++;
                continue;
            }

            if (i + 1 < text.Length && text[i] == '\r' && text[i + 1] == '\n')
            {
                i += 2;
                records.Add([.. fields]);
                fields.Clear();
                continue;
            }

            throw new FormatException($"Expected a comma or CRLF at {i}.");
        }

        if (fields.Count > 0)
        {
            throw new FormatException("The last record does not end with CRLF.");
        }

        return records;
    }

    private static string? ReadField(string text, ref int i)
    {
        if (i < text.Length && text[i] == '"')
        {
            var value = new StringBuilder();
            i++;
            while (true)
            {
                if (i >= text.Length)
                {
                    throw new FormatException("A quoted field is not closed.");
                }

                if (text[i] == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        value.Append('"');
                        i += 2;
                        continue;
                    }

                    i++;
                    return value.ToString();
                }

                value.Append(text[i]);
                i++;
            }
        }

        var start = i;
        while (i < text.Length && text[i] is not (',' or '\r' or '\n' or '"'))
        {
            i++;
        }

        var bareLineBreak = i < text.Length && (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n')));
        if (bareLineBreak || (i < text.Length && text[i] == '"'))
        {
            throw new FormatException($"A quote, bare CR or bare LF in an unquoted field at {i}.");
        }

        return i == start ? null : text[start..i];
    }
}
