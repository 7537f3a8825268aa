using System.Text.RegularExpressions;
using Loupe.Infrastructure.Telemetry;

namespace Loupe.Infrastructure.Persistence;

/// <summary>How Loupe reaches its own PostgreSQL database. Bound from configuration and checked at start-up.</summary>
public sealed partial class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>The application's connection (<c>ConnectionStrings:Loupe</c>): a role that owns no table.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>
    /// The owner's connection (<c>ConnectionStrings:LoupeOwner</c>), used only to migrate. When absent,
    /// migrations run over <see cref="ConnectionString"/> (a single-role deployment).
    /// </summary>
    public string? OwnerConnectionString { get; set; }

    /// <summary>Apply pending migrations when the host starts (<c>Database:MigrateOnStartup</c>).</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>The role the migrator grants data access to after migrating (<c>Database:ApplicationRole</c>).</summary>
    public string ApplicationRole { get; set; } = "loupe_app";

    /// <summary>Connections the application's pool may open (<c>Database:MaxPoolSize</c>).</summary>
    public int MaxPoolSize { get; set; } = 50;

    /// <summary>
    /// Statements each connection keeps prepared on the server once used twice (Npgsql's automatic
    /// preparation), so the same few statements of Loupe's own work are not parsed and planned again
    /// every time (<c>Database:AutoPrepare</c>; 0 turns it off).
    /// </summary>
    public int AutoPrepare { get; set; } = 64;

    /// <summary>
    /// Whether the spans of Loupe's own statements carry their SQL text (<c>Database:TraceStatementText</c>,
    /// off by default; ADR 0040). Those statements are Loupe's, written with parameters whose values are
    /// never recorded; users' statements against their data sources are never traced, whatever this says.
    /// </summary>
    public bool TraceStatementText { get; set; }

    /// <summary>
    /// Whether every command of Loupe's own pools makes a span, the job engine's polls, claims and
    /// heartbeats included, each starting a trace of its own when no operation is traced
    /// (<c>Database:TraceAllCommands</c>, off by default: only commands inside a traced operation do; ADR 0040).
    /// </summary>
    public bool TraceAllCommands { get; set; }

    public string MigrationConnectionString =>
        string.IsNullOrWhiteSpace(OwnerConnectionString) ? ConnectionString : OwnerConnectionString;

    internal IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return "ConnectionStrings:Loupe is required: the PostgreSQL connection string of the application role.";
        }

        if (!RoleName().IsMatch(ApplicationRole))
        {
            yield return "Database:ApplicationRole must be a plain PostgreSQL role name (lower-case letters, digits, underscores).";
        }

        if (MaxPoolSize is < 1 or > 1000)
        {
            yield return "Database:MaxPoolSize must be between 1 and 1000.";
        }

        if (AutoPrepare is < 0 or > 1000)
        {
            yield return "Database:AutoPrepare must be between 0 and 1000.";
        }
    }

    /// <summary>
    /// A builder for one of Loupe's own pools over <see cref="ConnectionString"/>, with automatic
    /// preparation, named <paramref name="name"/> in the pool metrics and traced without SQL text unless
    /// <see cref="TraceStatementText"/> says otherwise (ADR 0040).
    /// </summary>
    internal Npgsql.NpgsqlDataSourceBuilder PoolBuilder(int maxPoolSize, string name)
    {
        var builder = new Npgsql.NpgsqlDataSourceBuilder(ConnectionString) { Name = name };
        builder.TraceOwnCommands(TraceStatementText, TraceAllCommands);
        builder.ConnectionStringBuilder.MaxPoolSize = maxPoolSize;
        if (AutoPrepare > 0 && builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = AutoPrepare;
            builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        }

        return builder;
    }

    /// <summary>
    /// A builder for a pool of the owner's connections over <see cref="MigrationConnectionString"/>, named
    /// <paramref name="name"/> in the pool metrics (an unnamed pool would be labelled with its connection
    /// string: host, database and role) and traced like Loupe's other pools; no automatic preparation, since
    /// its statements are migrations and sweeps that run once.
    /// </summary>
    internal Npgsql.NpgsqlDataSourceBuilder OwnerPoolBuilder(int maxPoolSize, string name)
    {
        var builder = new Npgsql.NpgsqlDataSourceBuilder(MigrationConnectionString) { Name = name };
        builder.TraceOwnCommands(TraceStatementText, TraceAllCommands);
        builder.ConnectionStringBuilder.MaxPoolSize = maxPoolSize;
        return builder;
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex RoleName();
}
