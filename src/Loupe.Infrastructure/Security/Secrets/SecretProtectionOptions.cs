using Loupe.Domain.DataSources;

namespace Loupe.Infrastructure.Security.Secrets;

/// <summary>
/// The keys that encrypt stored secrets. Bound from <c>Secrets</c>: <c>Secrets:ActiveKeyId</c> names
/// the key new secrets use; <c>Secrets:Keys:{keyId}</c> holds each key as base64 of 32 bytes (or a file
/// through <c>Secrets__Keys__{keyId}_FILE</c>). Keep retired keys listed until nothing uses them.
/// </summary>
public sealed class SecretProtectionOptions
{
    public const string Section = "Secrets";
    public const int KeyBytes = 32;

    public string? ActiveKeyId { get; set; }

    public Dictionary<string, string> Keys { get; set; } = new(StringComparer.Ordinal);

    /// <param name="keyMayBeGenerated">In Development a missing key is generated instead of refused.</param>
    internal IEnumerable<string> Problems(bool keyMayBeGenerated)
    {
        if (string.IsNullOrWhiteSpace(ActiveKeyId))
        {
            if (!keyMayBeGenerated)
            {
                yield return $"Secrets:ActiveKeyId is required: the id of the key (Secrets:Keys:{{keyId}}, base64 of {KeyBytes} bytes) that encrypts data source passwords.";
            }
        }
        else if (!EncryptedSecret.IsKeyId(ActiveKeyId))
        {
            yield return $"Secrets:ActiveKeyId must be 1 to {EncryptedSecret.KeyIdMaxLength} letters, digits, '.', '-' or '_'.";
        }
        else if (!Keys.ContainsKey(ActiveKeyId))
        {
            yield return $"Secrets:ActiveKeyId names the key '{ActiveKeyId}', but Secrets:Keys:{ActiveKeyId} is not set.";
        }

        foreach (var (keyId, value) in Keys)
        {
            if (!EncryptedSecret.IsKeyId(keyId))
            {
                yield return $"Secrets:Keys:{keyId}: a key id is 1 to {EncryptedSecret.KeyIdMaxLength} letters, digits, '.', '-' or '_'.";
            }
            else if (TryDecodeKey(value) is null)
            {
                yield return $"Secrets:Keys:{keyId} must be base64 of exactly {KeyBytes} bytes.";
            }
        }
    }

    internal static byte[]? TryDecodeKey(string? value)
    {
        var buffer = new byte[KeyBytes + 3];
        return Convert.TryFromBase64String(value?.Trim() ?? string.Empty, buffer, out var written) && written == KeyBytes
            ? buffer[..KeyBytes]
            : null;
    }
}
