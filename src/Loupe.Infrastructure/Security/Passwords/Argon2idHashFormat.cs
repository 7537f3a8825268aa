using System.Globalization;

namespace Loupe.Infrastructure.Security.Passwords;

/// <summary>The cost and sizes a stored Argon2id hash was made with.</summary>
internal readonly record struct Argon2idParameters(int MemoryKib, int Iterations, int Parallelism, int SaltBytes, int HashBytes);

/// <summary>
/// Reads the PHC string the reference library writes, <c>$argon2id$v=19$m=19456,t=2,p=1$salt$hash</c>
/// (salt and hash in unpadded base64). Anything else is refused before it reaches native code.
/// </summary>
internal static class Argon2idHashFormat
{
    private const string Prefix = "$argon2id$v=19$";

    public static bool TryParse(string encoded, out Argon2idParameters parameters)
    {
        parameters = default;
        if (!encoded.StartsWith(Prefix, StringComparison.Ordinal) || !IsPrintableAscii(encoded))
        {
            return false;
        }

        var parts = encoded[Prefix.Length..].Split('$');
        if (parts.Length != 3)
        {
            return false;
        }

        var costs = parts[0].Split(',');
        if (costs.Length != 3
            || !TryReadCost(costs[0], "m=", out var memory)
            || !TryReadCost(costs[1], "t=", out var iterations)
            || !TryReadCost(costs[2], "p=", out var parallelism))
        {
            return false;
        }

        if (memory > PasswordHashingOptions.MaximumMemoryKib
            || iterations > PasswordHashingOptions.MaximumIterations
            || parallelism > 255
            || memory < 8 * parallelism)
        {
            return false;
        }

        if (!TryDecodedLength(parts[1], out var saltBytes) || !TryDecodedLength(parts[2], out var hashBytes)
            || saltBytes < 8 || hashBytes < 4)
        {
            return false;
        }

        parameters = new Argon2idParameters(memory, iterations, parallelism, saltBytes, hashBytes);
        return true;
    }

    private static bool TryReadCost(string part, string name, out int value)
    {
        value = 0;
        return part.StartsWith(name, StringComparison.Ordinal)
            && part.Length > name.Length
            && part[name.Length] != '0'
            && part.AsSpan(name.Length).Length <= 10
            && int.TryParse(part.AsSpan(name.Length), NumberStyles.None, CultureInfo.InvariantCulture, out value)
            && value > 0;
    }

    /// <summary>The byte length behind unpadded standard base64, or false when it is not such text.</summary>
    private static bool TryDecodedLength(string text, out int bytes)
    {
        bytes = text.Length * 3 / 4;
        return text.Length > 0
            && text.Length % 4 != 1
            && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/');
    }

    private static bool IsPrintableAscii(string text) => text.All(c => c is > ' ' and < (char)127);
}
