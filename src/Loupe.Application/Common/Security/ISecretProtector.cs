using Loupe.Domain.DataSources;

namespace Loupe.Application.Common.Security;

/// <summary>
/// Encrypts secrets that must be read back (data source passwords). The result names the key that
/// made it, so a key can be rotated: secrets under an older key still open, and
/// <see cref="NeedsRotation"/> says which to re-protect.
/// </summary>
public interface ISecretProtector
{
    /// <summary>The id of the key new secrets are protected with.</summary>
    string CurrentKeyId { get; }

    EncryptedSecret Protect(string clearText);

    /// <exception cref="SecretProtectionException">The key is unknown, or the payload is malformed or was altered.</exception>
    string Unprotect(EncryptedSecret secret);

    /// <summary>True when the secret was protected with another key than the current one.</summary>
    bool NeedsRotation(EncryptedSecret secret);
}

/// <summary>A secret could not be opened: its key is not configured, or its payload is malformed or was altered.</summary>
public sealed class SecretProtectionException : Exception
{
    public SecretProtectionException()
    {
    }

    public SecretProtectionException(string message)
        : base(message)
    {
    }

    public SecretProtectionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
