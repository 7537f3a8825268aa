using System.Globalization;
using System.Text.RegularExpressions;

namespace Loupe.Application.Common.Paging;

/// <summary>
/// Strict RFC 3339 date-times (an offset is required), because <see cref="DateTimeOffset.TryParse(string?, out DateTimeOffset)"/>
/// alone would accept local times, bare dates and culture formats the spec does not allow.
/// </summary>
public static partial class Rfc3339
{
    /// <summary>.NET keeps 7 fraction digits; RFC 3339 allows any number, so extra ones are dropped.</summary>
    private const int MaxFractionDigits = 7;

    public static bool TryParse(string value, out DateTimeOffset result)
    {
        result = default;
        var match = Shape().Match(value);
        if (!match.Success)
        {
            return false;
        }

        var fraction = match.Groups["fraction"].Value;
        if (fraction.Length > MaxFractionDigits + 1)
        {
            fraction = fraction[..(MaxFractionDigits + 1)];
        }

        var offset = match.Groups["offset"].Value.ToUpperInvariant();
        var normalized = $"{match.Groups["date"].Value}T{match.Groups["time"].Value}{fraction}{offset}";
        if (!DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            return false;
        }

        result = parsed.ToUniversalTime();
        return true;
    }

    [GeneratedRegex(
        @"^(?<date>\d{4}-\d{2}-\d{2})[Tt](?<time>\d{2}:\d{2}:\d{2})(?<fraction>\.\d+)?(?<offset>[Zz]|[+-]\d{2}:\d{2})$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Shape();
}
