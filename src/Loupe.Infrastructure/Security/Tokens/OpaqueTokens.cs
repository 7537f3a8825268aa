using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Loupe.Application.Common.Security;

namespace Loupe.Infrastructure.Security.Tokens;

/// <summary>
/// <c>{prefix}_{32 random bytes in base64url}</c>, stored as the lower-case hex SHA-256 of the value.
/// The tokens carry 256 bits of entropy, so a fast unsalted hash is enough: there is nothing to guess.
/// </summary>
internal sealed class OpaqueTokens : IOpaqueTokens
{
    private const int SecretBytes = 32;

    public OpaqueToken Create(string prefix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        if (!prefix.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
        {
            throw new ArgumentException("A token prefix holds only lower-case letters, digits and underscores.", nameof(prefix));
        }

        Span<byte> secret = stackalloc byte[SecretBytes];
        RandomNumberGenerator.Fill(secret);
        var value = $"{prefix}_{Base64Url.EncodeToString(secret)}";
        CryptographicOperations.ZeroMemory(secret);
        return new OpaqueToken(value, HashOf(value));
    }

    public string HashOf(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
    }

    public bool HashesEqual(string left, string right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(left), Encoding.UTF8.GetBytes(right));
    }
}
