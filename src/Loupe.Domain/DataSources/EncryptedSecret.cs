namespace Loupe.Domain.DataSources;

/// <summary>
/// A secret as stored: the protector's opaque payload and the id of the key that made it (for
/// rotation). The domain never sees the clear text; only the secret protector can open it.
/// </summary>
public sealed class EncryptedSecret : IEquatable<EncryptedSecret>
{
    public const int KeyIdMaxLength = 64;
    public const int CipherTextMaxLength = 64 * 1024;

    private readonly byte[] _cipherText;

    private EncryptedSecret(string keyId, byte[] cipherText)
    {
        KeyId = keyId;
        _cipherText = cipherText;
    }

    /// <summary>Letters, digits, '.', '-' and '_'; at most 64 characters.</summary>
    public string KeyId { get; }

    public ReadOnlyMemory<byte> CipherText => _cipherText;

    public static EncryptedSecret Create(string keyId, ReadOnlySpan<byte> cipherText)
    {
        if (!IsKeyId(keyId))
        {
            throw new ArgumentException($"A key id is 1 to {KeyIdMaxLength} letters, digits, '.', '-' or '_'.", nameof(keyId));
        }

        if (cipherText.IsEmpty || cipherText.Length > CipherTextMaxLength)
        {
            throw new ArgumentException($"A cipher text has 1 to {CipherTextMaxLength} bytes.", nameof(cipherText));
        }

        return new EncryptedSecret(keyId, cipherText.ToArray());
    }

    public static bool IsKeyId(string? keyId) =>
        !string.IsNullOrEmpty(keyId)
        && keyId.Length <= KeyIdMaxLength
        && keyId.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');

    public bool Equals(EncryptedSecret? other) =>
        other is not null && KeyId == other.KeyId && _cipherText.AsSpan().SequenceEqual(other._cipherText);

    public override bool Equals(object? obj) => Equals(obj as EncryptedSecret);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(KeyId, StringComparer.Ordinal);
        hash.AddBytes(_cipherText);
        return hash.ToHashCode();
    }

    /// <summary>Never the bytes: a secret should not end up in a log by accident.</summary>
    public override string ToString() => $"EncryptedSecret(key {KeyId}, {_cipherText.Length} bytes)";
}
