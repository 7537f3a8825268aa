using System.Text;

namespace Loupe.Infrastructure.Security.Tokens;

/// <summary>How access tokens are signed and how long tokens live. Bound from <c>Auth</c> and checked at start-up.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>The smallest HMAC-SHA256 key accepted, in bytes of its UTF-8 form.</summary>
    public const int MinimumKeyBytes = 32;

    /// <summary>The HS256 secret (<c>Auth:SigningKey</c>, or a file through <c>Auth__SigningKey_FILE</c>).</summary>
    public string? SigningKey { get; set; }

    public string Issuer { get; set; } = "loupe";

    public string Audience { get; set; } = "loupe-api";

    public int AccessTokenMinutes { get; set; } = 15;

    public int RefreshTokenDays { get; set; } = 30;

    public byte[] SigningKeyBytes() => Encoding.UTF8.GetBytes(SigningKey ?? string.Empty);

    /// <param name="keyMayBeGenerated">In Development a missing key is generated instead of refused.</param>
    internal IEnumerable<string> Problems(bool keyMayBeGenerated)
    {
        if (string.IsNullOrEmpty(SigningKey))
        {
            if (!keyMayBeGenerated)
            {
                yield return $"Auth:SigningKey is required: a secret of at least {MinimumKeyBytes} bytes (or Auth__SigningKey_FILE naming a file that holds it).";
            }
        }
        else if (SigningKeyBytes().Length < MinimumKeyBytes)
        {
            yield return $"Auth:SigningKey is too short: it must be at least {MinimumKeyBytes} bytes as UTF-8.";
        }

        if (string.IsNullOrWhiteSpace(Issuer))
        {
            yield return "Auth:Issuer must not be empty.";
        }

        if (string.IsNullOrWhiteSpace(Audience))
        {
            yield return "Auth:Audience must not be empty.";
        }

        if (AccessTokenMinutes is < 1 or > 1440)
        {
            yield return "Auth:AccessTokenMinutes must be between 1 and 1440.";
        }

        if (RefreshTokenDays is < 1 or > 365)
        {
            yield return "Auth:RefreshTokenDays must be between 1 and 365.";
        }
    }
}
