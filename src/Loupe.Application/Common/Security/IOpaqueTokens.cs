namespace Loupe.Application.Common.Security;

/// <summary>A random secret handed to a client once, and the hash that is stored in its place.</summary>
public sealed record OpaqueToken(string Value, string Hash);

/// <summary>
/// Refresh tokens, API keys, invitation and password-reset tokens: random, URL-safe, prefixed so a
/// leaked one can be recognised (<c>lp_rt_…</c>), and stored only as a SHA-256 hash.
/// </summary>
public interface IOpaqueTokens
{
    OpaqueToken Create(string prefix);

    string HashOf(string value);

    /// <summary>Compares two hashes in constant time.</summary>
    bool HashesEqual(string left, string right);
}
