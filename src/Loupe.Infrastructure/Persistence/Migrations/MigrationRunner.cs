using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Loupe.Infrastructure.Persistence.Migrations;

/// <summary>The state of one migration in a database.</summary>
public sealed record MigrationState(string Id, bool Applied, bool KnownToThisBuild);

/// <summary>
/// Applies and rolls back the SQL migrations through EF Core's migrator, as the owner role.
/// The whole operation holds a PostgreSQL advisory lock, so instances starting together apply
/// each migration once; before applying anything it refuses a database whose applied migrations
/// were edited since. Its connections come from a pool of its own named <see cref="PoolName"/>, built for
/// the operation and closed after it.
/// </summary>
public sealed partial class MigrationRunner(IOptions<DatabaseOptions> options, ILoggerFactory loggerFactory)
{
    // Any fixed 64-bit number works; this one spells "loupe-mg" and is only taken here.
    private const long AdvisoryLockKey = 0x6c6f7570_652d6d67;

    public const string PoolName = "loupe-migrations";

    private readonly DatabaseOptions _options = options.Value;
    private readonly ILogger _logger = loggerFactory.CreateLogger<MigrationRunner>();

    public async Task<IReadOnlyList<MigrationState>> StatusAsync(CancellationToken cancellationToken)
    {
        await using var source = _options.OwnerPoolBuilder(1, PoolName).Build();
        await using var connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var context = CreateOwnerContext(connection);
        var applied = (await context.Database.GetAppliedMigrationsAsync(cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        var known = context.Database.GetMigrations().ToList();
        return known
            .Select(id => new MigrationState(id, applied.Contains(id), KnownToThisBuild: true))
            .Concat(applied.Except(known).Select(id => new MigrationState(id, Applied: true, KnownToThisBuild: false)))
            .OrderBy(s => s.Id, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Applies every pending migration. Returns the ids applied by this call.</summary>
    public async Task<IReadOnlyList<string>> UpAsync(CancellationToken cancellationToken)
    {
        return await UnderLockAsync(
            async context =>
            {
                await EnsureChecksumTableAsync(context, cancellationToken).ConfigureAwait(false);
                await RefuseDriftAsync(context, cancellationToken).ConfigureAwait(false);
                var pending = (await context.Database.GetPendingMigrationsAsync(cancellationToken).ConfigureAwait(false)).ToList();
                if (pending.Count > 0)
                {
                    await context.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
                    var names = string.Join(", ", pending);
                    LogApplied(pending.Count, names);
                }

                await GrantApplicationRoleAsync(context, cancellationToken).ConfigureAwait(false);
                return pending;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Rolls back the last <paramref name="count"/> applied migrations, newest first.</summary>
    public async Task<IReadOnlyList<string>> DownAsync(int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return await UnderLockAsync(
            async context =>
            {
                await EnsureChecksumTableAsync(context, cancellationToken).ConfigureAwait(false);
                await RefuseDriftAsync(context, cancellationToken).ConfigureAwait(false);
                var applied = (await context.Database.GetAppliedMigrationsAsync(cancellationToken).ConfigureAwait(false)).ToList();
                var rolledBack = applied.TakeLast(count).Reverse().ToList();
                var target = applied.Count > count ? applied[^(count + 1)] : Microsoft.EntityFrameworkCore.Migrations.Migration.InitialDatabase;
                if (rolledBack.Count > 0)
                {
                    await context.Database.MigrateAsync(target, cancellationToken).ConfigureAwait(false);
                    var names = string.Join(", ", rolledBack);
                    LogRolledBack(rolledBack.Count, names);
                }

                return rolledBack;
            },
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> UnderLockAsync<T>(Func<LoupeDbContext, Task<T>> work, CancellationToken cancellationToken)
    {
        // Two connections: one holds the session-level lock while the other migrates.
        await using var source = _options.OwnerPoolBuilder(2, PoolName).Build();
        await using var lockConnection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({AdvisoryLockKey})", lockConnection))
        {
            await take.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await using var connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var context = CreateOwnerContext(connection);
            return await work(context).ConfigureAwait(false);
        }
        finally
        {
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({AdvisoryLockKey})", lockConnection);
            await release.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    // EF Core takes the open connection (and leaves it to the caller): a data source given to UseNpgsql would
    // make each operation's context build a new internal service provider.
    private LoupeDbContext CreateOwnerContext(NpgsqlConnection connection) =>
        new(new DbContextOptionsBuilder<LoupeDbContext>()
            .UseNpgsql(connection)
            .UseLoggerFactory(loggerFactory)
            .QuietCommandErrors()
            .Options);

    private static async Task EnsureChecksumTableAsync(LoupeDbContext context, CancellationToken cancellationToken) =>
        await context.Database.ExecuteSqlRawAsync(
            $"""
            CREATE TABLE IF NOT EXISTS {SqlFileMigration.ChecksumTable} (
                migration_id character varying(150) NOT NULL PRIMARY KEY,
                sha256 character(64) NOT NULL,
                applied_at timestamp with time zone NOT NULL DEFAULT now())
            """,
            cancellationToken).ConfigureAwait(false);

    private async Task RefuseDriftAsync(LoupeDbContext context, CancellationToken cancellationToken)
    {
        var recorded = await context.Database
            .SqlQueryRaw<RecordedChecksum>($"SELECT migration_id AS \"MigrationId\", sha256 AS \"Sha256\" FROM {SqlFileMigration.ChecksumTable}")
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);

        var scripts = MigrationScript.All.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var edited = new List<string>();
        foreach (var row in recorded)
        {
            if (!scripts.TryGetValue(row.MigrationId, out var script))
            {
                LogUnknownApplied(row.MigrationId);
            }
            else if (!string.Equals(script.Checksum, row.Sha256.Trim(), StringComparison.Ordinal))
            {
                edited.Add(script.FileStem);
            }
        }

        if (edited.Count > 0)
        {
            throw new MigrationDriftException(edited);
        }
    }

    private async Task GrantApplicationRoleAsync(LoupeDbContext context, CancellationToken cancellationToken)
    {
        var role = _options.ApplicationRole;
        var exists = await context.Database
            .SqlQueryRaw<bool>("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = {0}) AS \"Value\"", role)
            .SingleAsync(cancellationToken)
            .ConfigureAwait(false);
        if (!exists)
        {
            LogRoleMissing(role);
            return;
        }

        // The role name was checked against ^[a-z_][a-z0-9_]*$ at start-up, so quoting it is enough.
        var quoted = $"\"{role}\"";
        var grants =
            $"""
            GRANT USAGE ON SCHEMA public TO {quoted};
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted};
            GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {quoted};
            GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {quoted};
            REVOKE ALL ON "__EFMigrationsHistory", {SqlFileMigration.ChecksumTable} FROM {quoted};
            GRANT SELECT ON "__EFMigrationsHistory", {SqlFileMigration.ChecksumTable} TO {quoted};
            """;
        await context.Database.ExecuteSqlRawAsync(grants, cancellationToken).ConfigureAwait(false);
    }

    private sealed record RecordedChecksum(string MigrationId, string Sha256);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied {Count} migration(s): {Migrations}")]
    private partial void LogApplied(int count, string migrations);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rolled back {Count} migration(s): {Migrations}")]
    private partial void LogRolledBack(int count, string migrations);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Migration {MigrationId} is applied in the database but unknown to this build (a newer version ran here)")]
    private partial void LogUnknownApplied(string migrationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Role {Role} does not exist: no data access was granted to it")]
    private partial void LogRoleMissing(string role);
}

/// <summary>An applied migration's SQL was edited afterwards: the database may not be what the files say.</summary>
public sealed class MigrationDriftException : Exception
{
    public MigrationDriftException(IReadOnlyList<string> editedMigrations)
        : base($"Applied migration(s) were edited after they ran: {string.Join(", ", editedMigrations)}. " +
               "Restore the original files and add a new migration for the change.")
    {
        EditedMigrations = editedMigrations;
    }

    public MigrationDriftException()
        : this([])
    {
    }

    public MigrationDriftException(string message)
        : base(message)
    {
        EditedMigrations = [];
    }

    public MigrationDriftException(string message, Exception innerException)
        : base(message, innerException)
    {
        EditedMigrations = [];
    }

    public IReadOnlyList<string> EditedMigrations { get; }
}
