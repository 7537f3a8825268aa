using Loupe.Domain.Common;

namespace Loupe.Domain.Queries;

/// <summary>
/// A query's tags, normalized: blanks around each are removed, letters are lower-cased (so
/// "Finance" and "finance" are one tag), repeats are dropped and the first order is kept. A tag
/// has 1 to 50 characters and no NUL.
/// </summary>
public static class QueryTags
{
    public const int MaxTags = 20;
    public const int TagMaxLength = 50;

    /// <summary>The normalized tags, or the first broken rule.</summary>
    public static string[] Normalize(IEnumerable<string?>? tags)
    {
        var normalized = Normalized(tags);
        return Check(normalized) is { } error ? throw new DomainException(error) : [.. normalized.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>What is wrong with these tags, or null when they are valid.</summary>
    public static DomainError? Check(IEnumerable<string?>? tags) => Check(Normalized(tags));

    /// <summary>The normalized form of one tag (also used on filters).</summary>
    public static string NormalizeOne(string tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        return tag.Trim().ToLowerInvariant();
    }

    private static List<string> Normalized(IEnumerable<string?>? tags) =>
        [.. (tags ?? []).Select(tag => tag is null ? string.Empty : NormalizeOne(tag))];

    private static DomainError? Check(List<string> normalized)
    {
        if (normalized.Exists(tag => tag.Length is 0 or > TagMaxLength || tag.Contains('\0', StringComparison.Ordinal)))
        {
            return SavedQueryErrors.TagInvalid;
        }

        return normalized.Distinct(StringComparer.Ordinal).Count() > MaxTags ? SavedQueryErrors.TooManyTags : null;
    }
}
