using System.Security.Cryptography;
using System.Text;
using Loupe.Application.Common.Security;
using Microsoft.Extensions.Options;

namespace Loupe.Infrastructure.Security.Passwords;

/// <summary>
/// Argon2id through the reference C library. Passwords are hashed as UTF-8 with a 16-byte random
/// salt into a 32-byte hash; the PHC string stores the parameters, so hashes made under older,
/// weaker settings still verify and are reported for rehashing.
/// </summary>
internal sealed class Argon2idPasswordHasher : IPasswordHasher
{
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    private readonly PasswordHashingOptions _options;
    private readonly string _dummyHash;

    public Argon2idPasswordHasher(IOptions<PasswordHashingOptions> options)
    {
        _options = options.Value;
        try
        {
            // Made once with today's parameters, so refusing an unknown account costs what a wrong password costs.
            _dummyHash = Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)));
        }
        catch (DllNotFoundException missing)
        {
            throw new InvalidOperationException(
                $"Password hashing needs {Argon2Native.LibraryName}: install the Debian package libargon2-1.", missing);
        }
    }

    public string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var memory = checked((uint)_options.MemoryKib);
        var iterations = checked((uint)_options.Iterations);
        var parallelism = checked((uint)_options.Parallelism);

        var encodedLength = Argon2Native.EncodedLength(iterations, memory, parallelism, SaltBytes, HashBytes, Argon2Native.TypeArgon2id);
        var encoded = new byte[checked((int)encodedLength)];
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var secret = ToPinnedUtf8(password);
        try
        {
            var status = Argon2Native.HashEncoded(
                iterations,
                memory,
                parallelism,
                secret,
                (nuint)secret.Length,
                salt,
                SaltBytes,
                HashBytes,
                encoded,
                encodedLength);
            if (status != Argon2Native.Ok)
            {
                throw new CryptographicException($"argon2id_hash_encoded failed with code {status}.");
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }

        var terminator = Array.IndexOf(encoded, (byte)0);
        return Encoding.ASCII.GetString(encoded, 0, terminator < 0 ? encoded.Length : terminator);
    }

    public PasswordVerification Verify(string password, string encodedHash)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (encodedHash is null || !Argon2idHashFormat.TryParse(encodedHash, out var stored))
        {
            return PasswordVerification.Failed;
        }

        if (!Matches(password, encodedHash))
        {
            return PasswordVerification.Failed;
        }

        return IsWeakerThanConfigured(stored) ? PasswordVerification.SucceededNeedsRehash : PasswordVerification.Succeeded;
    }

    public void VerifyAgainstDummy(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        _ = Matches(password, _dummyHash);
    }

    private bool IsWeakerThanConfigured(Argon2idParameters stored) =>
        stored.MemoryKib < _options.MemoryKib
        || stored.Iterations < _options.Iterations
        || stored.Parallelism < _options.Parallelism
        || stored.SaltBytes < SaltBytes
        || stored.HashBytes < HashBytes;

    /// <summary>Only ever called with a string <see cref="Argon2idHashFormat"/> accepted (printable ASCII).</summary>
    private static bool Matches(string password, string encodedHash)
    {
        var encoded = new byte[encodedHash.Length + 1];
        Encoding.ASCII.GetBytes(encodedHash, encoded);
        var secret = ToPinnedUtf8(password);
        try
        {
            return Argon2Native.Verify(encoded, secret, (nuint)secret.Length) == Argon2Native.Ok;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>A pinned array: the collector cannot leave copies of the password behind when it compacts.</summary>
    private static byte[] ToPinnedUtf8(string password)
    {
        var bytes = GC.AllocateUninitializedArray<byte>(Encoding.UTF8.GetByteCount(password), pinned: true);
        Encoding.UTF8.GetBytes(password, bytes);
        return bytes;
    }
}
