namespace Loupe.Domain.Common;

/// <summary>
/// Text Loupe can store and send on: no NUL character (PostgreSQL's text types cannot hold one) and
/// no unpaired UTF-16 surrogate (it has no UTF-8 form). Every input is held to this once, at the
/// edge, before any handler sees it.
/// </summary>
public static class TextErrors
{
    public const string NulCharacterCode = "text.nul_character";
    public const string LoneSurrogateCode = "text.lone_surrogate";
    public const string InvalidUtf8Code = "text.invalid_utf8";

    public static DomainError NulCharacter(string field) =>
        DomainError.Validation(NulCharacterCode, field, "Text may not contain the NUL character (U+0000).");

    public static DomainError LoneSurrogate(string field) =>
        DomainError.Validation(LoneSurrogateCode, field, "Text may not contain an unpaired UTF-16 surrogate (U+D800 to U+DFFF on its own).");

    /// <summary>Bytes sent as UTF-8 text that are not UTF-8 (an encoded surrogate among them): they decode to nothing Loupe could store.</summary>
    public static DomainError InvalidUtf8(string field) =>
        DomainError.Validation(InvalidUtf8Code, field, "Text must be valid UTF-8.");

    /// <summary>The first reason <paramref name="text"/> cannot be stored, named for <paramref name="field"/>; null when it can.</summary>
    public static DomainError? Check(ReadOnlySpan<char> text, string field)
    {
        if (!text.Contains('\0') && !text.ContainsAnyInRange('\uD800', '\uDFFF'))
        {
            return null;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                return NulCharacter(field);
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return LoneSurrogate(field);
            }
        }

        return null;
    }
}
