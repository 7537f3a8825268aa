using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Loupe.Domain.Webhooks;

/// <summary>
/// How a delivery is signed: <c>X-Loupe-Signature: sha256=</c> and the lower-case hex HMAC-SHA256,
/// keyed with the webhook's secret (its UTF-8 bytes), of the timestamp (<c>X-Loupe-Timestamp</c>,
/// Unix seconds), a dot, and the body exactly as sent.
/// </summary>
public static class WebhookSignature
{
    public const string Prefix = "sha256=";

    /// <summary>The bytes of a new signing secret (32: 256 bits).</summary>
    public const int SecretBytes = 32;

    /// <summary>What a secret starts with, so one found in a file is recognised as Loupe's.</summary>
    public const string SecretPrefix = "whsec_";

    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message));
    }

    /// <summary>Compares in constant time.</summary>
    public static bool Verify(string secret, long timestamp, ReadOnlySpan<byte> body, string? signature)
    {
        if (signature is null)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(secret, timestamp, body));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
    }

    /// <summary>A new random secret: the prefix and 32 random bytes as URL-safe base64.</summary>
    public static string NewSecret() =>
        SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(SecretBytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
