using System.Text.RegularExpressions;
using Loupe.Domain.Common;

namespace Loupe.Domain.Users;

/// <summary>An email address, trimmed and lower-cased, so that one mailbox is one account.</summary>
public sealed partial record EmailAddress
{
    public const int MaxLength = 254;

    private EmailAddress(string value) => Value = value;

    public string Value { get; }

    public static EmailAddress Parse(string? text) =>
        TryParse(text, out var email) ? email : throw new DomainException(UserErrors.InvalidEmail);

    public static bool TryParse(string? text, out EmailAddress email)
    {
        email = null!;
        var candidate = text?.Trim().ToLowerInvariant() ?? string.Empty;
        if (candidate.Length is 0 or > MaxLength || !Shape().IsMatch(candidate))
        {
            return false;
        }

        var at = candidate.LastIndexOf('@');
        if (at > 64 || candidate[(at + 1)..].Split('.').Any(label => label.Length is 0 or > 63 || label.StartsWith('-') || label.EndsWith('-')))
        {
            return false;
        }

        email = new EmailAddress(candidate);
        return true;
    }

    /// <summary>For logs: <c>j***@example.com</c>.</summary>
    public string Masked() => $"{Value[0]}***{Value[Value.LastIndexOf('@')..]}";

    public override string ToString() => Value;

    // A practical subset of RFC 5322: a dot-atom local part and a domain with at least one dot.
    [GeneratedRegex(@"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[a-z0-9-]+(\.[a-z0-9-]+)+$")]
    private static partial Regex Shape();
}
