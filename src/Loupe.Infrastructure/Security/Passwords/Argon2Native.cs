using System.Runtime.InteropServices;

namespace Loupe.Infrastructure.Security.Passwords;

/// <summary>
/// The three functions of the reference Argon2 library (Debian package <c>libargon2-1</c>) that
/// Loupe needs, bound by hand so no wrapper package sits between us and the C code.
/// </summary>
internal static partial class Argon2Native
{
    public const string LibraryName = "libargon2.so.1";

    /// <summary><c>ARGON2_OK</c>.</summary>
    public const int Ok = 0;

    /// <summary><c>Argon2_id</c> in the library's <c>argon2_type</c> enumeration.</summary>
    public const uint TypeArgon2id = 2;

    /// <summary>
    /// <c>int argon2id_hash_encoded(uint32_t t_cost, uint32_t m_cost, uint32_t parallelism,
    /// const void *pwd, size_t pwdlen, const void *salt, size_t saltlen, size_t hashlen,
    /// char *encoded, size_t encodedlen)</c>; writes a NUL-terminated ASCII string.
    /// </summary>
    [LibraryImport(LibraryName, EntryPoint = "argon2id_hash_encoded")]
    public static partial int HashEncoded(
        uint iterations,
        uint memoryKib,
        uint parallelism,
        ReadOnlySpan<byte> password,
        nuint passwordLength,
        ReadOnlySpan<byte> salt,
        nuint saltLength,
        nuint hashLength,
        Span<byte> encoded,
        nuint encodedLength);

    /// <summary><c>int argon2id_verify(const char *encoded, const void *pwd, size_t pwdlen)</c>; <paramref name="encoded"/> ends with a NUL byte.</summary>
    [LibraryImport(LibraryName, EntryPoint = "argon2id_verify")]
    public static partial int Verify(ReadOnlySpan<byte> encoded, ReadOnlySpan<byte> password, nuint passwordLength);

    /// <summary>
    /// <c>size_t argon2_encodedlen(uint32_t t_cost, uint32_t m_cost, uint32_t parallelism,
    /// uint32_t saltlen, uint32_t hashlen, argon2_type type)</c>; the length includes the NUL byte.
    /// </summary>
    [LibraryImport(LibraryName, EntryPoint = "argon2_encodedlen")]
    public static partial nuint EncodedLength(uint iterations, uint memoryKib, uint parallelism, uint saltLength, uint hashLength, uint type);
}
