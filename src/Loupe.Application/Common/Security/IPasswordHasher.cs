namespace Loupe.Application.Common.Security;

/// <summary>The outcome of checking a password against a stored hash.</summary>
public enum PasswordVerification
{
    Failed,
    Succeeded,

    /// <summary>The password is right but was hashed with weaker parameters than today's: store a new hash.</summary>
    SucceededNeedsRehash,
}

/// <summary>Slow, salted password hashing (Argon2id). The encoded hash carries its own parameters.</summary>
public interface IPasswordHasher
{
    string Hash(string password);

    PasswordVerification Verify(string password, string encodedHash);

    /// <summary>
    /// Spends the same work as a real verification without a stored hash, so an unknown account
    /// takes as long to refuse as a wrong password.
    /// </summary>
    void VerifyAgainstDummy(string password);
}
