namespace Loupe.Infrastructure.Security.Passwords;

/// <summary>
/// Argon2id cost parameters (<c>Auth:Password</c>). The defaults are the OWASP minimum for Argon2id;
/// configuration may raise them, never lower them, so a mistaken setting cannot weaken stored hashes.
/// </summary>
internal sealed class PasswordHashingOptions
{
    public const string Section = "Auth:Password";

    public const int MinimumMemoryKib = 19_456;
    public const int MinimumIterations = 2;

    /// <summary>4 GiB: more than any sensible setting, and a bound on what a stored hash may ask for.</summary>
    public const int MaximumMemoryKib = 4 * 1024 * 1024;
    public const int MaximumIterations = 64;

    /// <summary>Memory per hash in KiB (<c>Auth:Password:MemoryKib</c>).</summary>
    public int MemoryKib { get; set; } = MinimumMemoryKib;

    /// <summary>Passes over the memory (<c>Auth:Password:Iterations</c>).</summary>
    public int Iterations { get; set; } = MinimumIterations;

    /// <summary>Lanes (<c>Auth:Password:Parallelism</c>); fixed at 1 so a login uses one core.</summary>
    public int Parallelism { get; set; } = 1;

    internal IEnumerable<string> Problems()
    {
        if (MemoryKib is < MinimumMemoryKib or > MaximumMemoryKib)
        {
            yield return $"{Section}:MemoryKib must be between {MinimumMemoryKib} and {MaximumMemoryKib}.";
        }

        if (Iterations is < MinimumIterations or > MaximumIterations)
        {
            yield return $"{Section}:Iterations must be between {MinimumIterations} and {MaximumIterations}.";
        }

        if (Parallelism != 1)
        {
            yield return $"{Section}:Parallelism must be 1.";
        }
    }
}
