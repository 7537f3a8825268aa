using Npgsql;
using Respawn;
using Respawn.Graph;

namespace Loupe.Integration.Tests.Support;

/// <summary>
/// Takes a test database cloned from the migrated template back to the state it was cloned in, with
/// Respawn (ADR 0036). It connects as the schema owner: the owner is not subject to row-level security
/// (the policies are enabled, not forced), so every organization's rows go, including those of tables
/// with no DELETE policy (<c>jobs</c>, <c>job_organization_turns</c>).
/// </summary>
internal static class DatabaseReset
{
    /// <summary>
    /// The tables the migrations fill, kept as they are: the migrator's history and checksums. A new
    /// migration that seeds a table adds it here (<c>DatabaseResetTests</c> fails until it does).
    /// </summary>
    public static readonly IReadOnlyList<string> KeptTables = ["__EFMigrationsHistory", "loupe_migration_checksums"];

    /// <summary>
    /// Tables emptied by the cascade of their parent's DELETE, not by a DELETE of their own:
    /// <c>job_attempts</c> goes with <c>jobs</c>. A running engine locks a job's row and then its
    /// attempt's (finish, release, sweep); a reset deleting attempts first and jobs second took the
    /// same locks the other way round and deadlocked with it.
    /// </summary>
    public static readonly IReadOnlyList<string> CascadedTables = ["job_attempts"];

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static Respawner? _respawner;

    /// <summary>Empties every table but <see cref="KeptTables"/> of the database <paramref name="ownerConnection"/> points at.</summary>
    public static async Task ResetAsync(string ownerConnection)
    {
        await using var connection = new NpgsqlConnection(ownerConnection);
        await connection.OpenAsync().ConfigureAwait(false);
        var respawner = await RespawnerAsync(connection).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await respawner.ResetAsync(connection).ConfigureAwait(false);
                return;
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < MaxAttempts)
            {
                // A fixture's host may still be finishing work (a schedule's run, a job's attempt) and
                // locks rows in its own order; PostgreSQL broke the cycle by failing the reset. Its
                // DELETEs empty tables whatever they hold, so running them again is safe.
            }
        }
    }

    /// <summary>How many times a reset is tried when PostgreSQL picks it as a deadlock's victim.</summary>
    private const int MaxAttempts = 5;

    /// <summary>
    /// One respawner for the process: every clone has the template's schema, so the tables and foreign
    /// keys it reads from the first database hold for all of them.
    /// </summary>
    private static async Task<Respawner> RespawnerAsync(NpgsqlConnection connection)
    {
        await Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            return _respawner ??= await Respawner.CreateAsync(connection, new RespawnerOptions
            {
                DbAdapter = DbAdapter.Postgres,
                SchemasToInclude = ["public"],
                TablesToIgnore = [.. KeptTables.Concat(CascadedTables).Select(name => new Table("public", name))],

                // A DELETE per table (children first) instead of Respawn's one TRUNCATE for PostgreSQL:
                // a test's few rows go in a sixth of the time, and only the rows are locked, not the
                // tables a fixture's running host still reads (DatabaseResetTests measures both).
                FormatDeleteStatement = table => $"DELETE FROM {table.GetFullName('"')};",

                // No table has an identity or serial column (ids are UUIDv7); the one sequence,
                // loupe_jobs_claim_turns, only orders claims and no test reads its value.
                WithReseed = false,
            }).ConfigureAwait(false);
        }
        finally
        {
            Gate.Release();
        }
    }
}
