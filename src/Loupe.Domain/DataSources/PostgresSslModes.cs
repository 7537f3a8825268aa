namespace Loupe.Domain.DataSources;

/// <summary>The libpq spellings of <see cref="PostgresSslMode"/>: <c>disable</c> … <c>verify-full</c>.</summary>
public static class PostgresSslModes
{
    private static readonly Dictionary<string, PostgresSslMode> ByName = new(StringComparer.Ordinal)
    {
        ["disable"] = PostgresSslMode.Disable,
        ["allow"] = PostgresSslMode.Allow,
        ["prefer"] = PostgresSslMode.Prefer,
        ["require"] = PostgresSslMode.Require,
        ["verify-ca"] = PostgresSslMode.VerifyCa,
        ["verify-full"] = PostgresSslMode.VerifyFull,
    };

    public static IReadOnlyCollection<string> Names => ByName.Keys;

    public static string ToName(this PostgresSslMode mode) => mode switch
    {
        PostgresSslMode.Disable => "disable",
        PostgresSslMode.Allow => "allow",
        PostgresSslMode.Prefer => "prefer",
        PostgresSslMode.Require => "require",
        PostgresSslMode.VerifyCa => "verify-ca",
        PostgresSslMode.VerifyFull => "verify-full",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown SSL mode."),
    };

    /// <summary>Exact, lower-case libpq names only.</summary>
    public static bool TryParse(string? name, out PostgresSslMode mode) =>
        ByName.TryGetValue(name ?? string.Empty, out mode);
}
