using Loupe.Infrastructure.Persistence;
using Loupe.Infrastructure.Persistence.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Loupe.Integration.Tests.Support;

/// <summary>
/// The real PostgreSQL that <c>build/test.sh</c> starts. Once per test process a template database
/// is migrated; every test class then gets its own database cloned from it, so classes never see
/// each other's rows and nothing needs cleaning between them.
/// </summary>
internal static class TestPostgres
{
    private static readonly SemaphoreSlim TemplateGate = new(1, 1);
    private static string? _templateName;

    public static string AdminConnection => Require("LOUPE_TEST_ADMIN_CONNECTION");

    /// <summary>The superuser's connection to <paramref name="database"/> (to load a server module such as auto_explain).</summary>
    public static string AdminConnectionTo(string database) => WithDatabase(AdminConnection, database);

    public static string OwnerConnection(string database) => WithDatabase(Require("LOUPE_TEST_OWNER_CONNECTION"), database);

    public static string AppConnection(string database) => WithDatabase(Require("LOUPE_TEST_APP_CONNECTION"), database);

    /// <summary>A new, migrated database of its own.</summary>
    public static async Task<string> CreateMigratedDatabaseAsync()
    {
        var template = await EnsureTemplateAsync().ConfigureAwait(false);
        var name = NewName("loupe_t");
        await ExecuteAdminAsync($"CREATE DATABASE {name} TEMPLATE {template} OWNER loupe_owner").ConfigureAwait(false);
        return name;
    }

    /// <summary>A new database with nothing in it (no migration applied).</summary>
    public static async Task<string> CreateEmptyDatabaseAsync()
    {
        var name = NewName("loupe_e");
        await ExecuteAdminAsync($"CREATE DATABASE {name} OWNER loupe_owner").ConfigureAwait(false);
        return name;
    }

    public static Task DropDatabaseAsync(string name) =>
        ExecuteAdminAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");

    public static MigrationRunner Runner(string database, string applicationRole = "loupe_app") =>
        new(
            Options.Create(new DatabaseOptions
            {
                ConnectionString = AppConnection(database),
                OwnerConnectionString = OwnerConnection(database),
                ApplicationRole = applicationRole,
            }),
            NullLoggerFactory.Instance);

    public static async Task ExecuteAdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(AdminConnection);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private static async Task<string> EnsureTemplateAsync()
    {
        await TemplateGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_templateName is not null)
            {
                return _templateName;
            }

            var name = NewName("loupe_template");
            await ExecuteAdminAsync($"CREATE DATABASE {name} OWNER loupe_owner").ConfigureAwait(false);
            await Runner(name).UpAsync(CancellationToken.None).ConfigureAwait(false);

            // CREATE DATABASE … TEMPLATE refuses a template that anyone is connected to.
            NpgsqlConnection.ClearAllPools();
            _templateName = name;
            return name;
        }
        finally
        {
            TemplateGate.Release();
        }
    }

    private static string NewName(string prefix) => $"{prefix}_{Guid.NewGuid():N}";

    private static string WithDatabase(string connectionString, string database) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Database = database }.ConnectionString;

    private static string Require(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{variable} is not set. Run the tests with ./build/test.sh, which starts a throwaway PostgreSQL and sets it.");
}
