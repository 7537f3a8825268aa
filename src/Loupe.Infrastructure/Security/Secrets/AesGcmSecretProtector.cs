using System.Security.Cryptography;
using System.Text;
using Loupe.Application.Common.Security;
using Loupe.Domain.DataSources;
using Microsoft.Extensions.Options;

namespace Loupe.Infrastructure.Security.Secrets;

/// <summary>
/// AES-256-GCM. Payload: version byte (1), 12-byte random nonce, cipher text, 16-byte tag. The key id
/// is authenticated as associated data, so a payload relabelled with another key id does not open.
/// </summary>
public sealed class AesGcmSecretProtector : ISecretProtector
{
    public const byte Version = 1;
    public const int NonceBytes = 12;
    public const int TagBytes = 16;
    private const int HeaderBytes = 1 + NonceBytes;

    private readonly Dictionary<string, byte[]> _keys;

    public AesGcmSecretProtector(IOptions<SecretProtectionOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        var problems = value.Problems(keyMayBeGenerated: false).ToList();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", problems));
        }

        CurrentKeyId = value.ActiveKeyId!;
        _keys = value.Keys.ToDictionary(pair => pair.Key, pair => SecretProtectionOptions.TryDecodeKey(pair.Value)!, StringComparer.Ordinal);
    }

    public string CurrentKeyId { get; }

    public EncryptedSecret Protect(string clearText)
    {
        ArgumentNullException.ThrowIfNull(clearText);
        var plain = Encoding.UTF8.GetBytes(clearText);
        var payload = new byte[HeaderBytes + plain.Length + TagBytes];
        payload[0] = Version;
        var nonce = payload.AsSpan(1, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(_keys[CurrentKeyId], TagBytes))
        {
            aes.Encrypt(nonce, plain, payload.AsSpan(HeaderBytes, plain.Length), payload.AsSpan(HeaderBytes + plain.Length), AssociatedData(CurrentKeyId));
        }

        CryptographicOperations.ZeroMemory(plain);
        return EncryptedSecret.Create(CurrentKeyId, payload);
    }

    public string Unprotect(EncryptedSecret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (!_keys.TryGetValue(secret.KeyId, out var key))
        {
            throw new SecretProtectionException(
                $"The secret was protected with key '{secret.KeyId}', which is not configured: add it back under Secrets:Keys:{secret.KeyId}.");
        }

        var payload = secret.CipherText.Span;
        if (payload.Length < HeaderBytes + TagBytes || payload[0] != Version)
        {
            throw new SecretProtectionException($"The secret under key '{secret.KeyId}' is not a version {Version} AES-GCM payload.");
        }

        var cipherLength = payload.Length - HeaderBytes - TagBytes;
        var plain = new byte[cipherLength];
        try
        {
            using var aes = new AesGcm(key, TagBytes);
            aes.Decrypt(payload.Slice(1, NonceBytes), payload.Slice(HeaderBytes, cipherLength), payload[(HeaderBytes + cipherLength)..], plain, AssociatedData(secret.KeyId));
            return Encoding.UTF8.GetString(plain);
        }
        catch (AuthenticationTagMismatchException mismatch)
        {
            throw new SecretProtectionException($"The secret under key '{secret.KeyId}' does not authenticate: it was altered or made with another key.", mismatch);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    public bool NeedsRotation(EncryptedSecret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return !string.Equals(secret.KeyId, CurrentKeyId, StringComparison.Ordinal);
    }

    private static byte[] AssociatedData(string keyId) => Encoding.UTF8.GetBytes(keyId);
}
