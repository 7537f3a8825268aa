namespace Loupe.Infrastructure.Persistence;

/// <summary>
/// Npgsql behaviour that is process-wide and read once, when Npgsql first needs it. Every host carries
/// it in its runtime configuration (<c>Directory.Build.props</c>); <see cref="Apply"/> sets it again
/// for a host that does not, and runs before the infrastructure registers anything that uses Npgsql.
/// </summary>
public static class NpgsqlSwitches
{
    /// <summary>
    /// Off: Npgsql would read PostgreSQL's <c>infinity</c> as <see cref="DateTime.MaxValue"/> and write
    /// <see cref="DateTime.MaxValue"/> / <see cref="DateOnly.MaxValue"/> (9999-12-31) as <c>infinity</c>
    /// (and the minimum values as <c>-infinity</c>), so real dates at the edges would change on the way
    /// through. With the switch on they come back as written, and an infinity is read by the connector
    /// itself (ADR 0027).
    /// </summary>
    public const string DisableDateTimeInfinityConversions = "Npgsql.DisableDateTimeInfinityConversions";

    public static void Apply() => AppContext.SetSwitch(DisableDateTimeInfinityConversions, true);
}
