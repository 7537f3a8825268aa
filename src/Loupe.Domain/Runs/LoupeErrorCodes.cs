namespace Loupe.Domain.Runs;

/// <summary>
/// Loupe's own codes for a run's or a data source's failure that has no SQLSTATE of the database's:
/// the <c>LPnnn</c> codes, shaped like a SQLSTATE so clients read them from the same <c>code</c>
/// member (of a run's error, or of a 502 problem). They are defined here and nowhere else; docs/errors.md
/// says what each means.
/// </summary>
public static class LoupeErrorCodes
{
    /// <summary>The stored password cannot be decrypted with the configured keys.</summary>
    public const string UnreadablePassword = "LP001";

    /// <summary>The run's data source was deleted before the run started.</summary>
    public const string DataSourceGone = "LP002";

    /// <summary>The run was interrupted too many times (its workers stopped) and was given up.</summary>
    public const string Stranded = "LP003";

    /// <summary>The run failed inside Loupe; the server log has the exception.</summary>
    public const string InternalFailure = "LP004";

    /// <summary>A column holds a value Loupe cannot read (numeric NaN, for example).</summary>
    public const string UnreadableValue = "LP005";

    /// <summary>The connection was refused because the host's address is not allowed.</summary>
    public const string HostRefused = "LP006";
}
