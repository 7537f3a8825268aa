using System.Diagnostics;
using Loupe.Infrastructure.Persistence;
using Loupe.Infrastructure.Persistence.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Loupe.Integration.Tests.Support;

/// <summary>
/// The second PostgreSQL cluster that <c>build/test.sh</c> starts for tests that stop and start the
/// server (PostgreSQL restarted under load, docs/quality-targets.md). It has the same roles as the shared cluster
/// (<see cref="TestPostgres"/>), which is never restarted. <c>LOUPE_TEST_RESTART_CONTROL</c> names a
/// script taking <c>stop</c>, <c>start</c> or <c>restart</c>. Tests that need it are skipped when the
/// variables are missing (<c>dotnet test</c> run by hand); <c>build/test.sh</c> always sets them.
/// </summary>
internal static class RestartablePostgres
{
    private const string AdminVariable = "LOUPE_TEST_RESTART_ADMIN_CONNECTION";
    private const string OwnerVariable = "LOUPE_TEST_RESTART_OWNER_CONNECTION";
    private const string AppVariable = "LOUPE_TEST_RESTART_APP_CONNECTION";
    private const string ControlVariable = "LOUPE_TEST_RESTART_CONTROL";

    /// <summary>Why the restartable cluster cannot be used, or null when it can.</summary>
    public static string? MissingReason
    {
        get
        {
            var missing = new[] { AdminVariable, OwnerVariable, AppVariable, ControlVariable }
                .Where(name => string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)))
                .ToList();
            return missing.Count == 0
                ? null
                : $"No restartable PostgreSQL: {string.Join(", ", missing)} not set. build/test.sh starts one and sets them.";
        }
    }

    /// <summary>The superuser, database <c>postgres</c>, unpooled: a test's own connections never meet one the restart broke.</summary>
    public static string AdminConnection => Unpooled(Require(AdminVariable));

    public static string OwnerConnection(string database) => WithDatabase(Require(OwnerVariable), database);

    public static string AppConnection(string database) => WithDatabase(Require(AppVariable), database);

    public static string AdminConnectionTo(string database) => WithDatabase(AdminConnection, database);

    /// <summary>The same connection string without pooling.</summary>
    public static string Unpooled(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;

    /// <summary>A new database with every migration applied.</summary>
    public static async Task<string> CreateMigratedDatabaseAsync()
    {
        var name = await CreateEmptyDatabaseAsync();
        var runner = new MigrationRunner(
            Options.Create(new DatabaseOptions
            {
                ConnectionString = AppConnection(name),
                OwnerConnectionString = OwnerConnection(name),
                ApplicationRole = "loupe_app",
            }),
            NullLoggerFactory.Instance);
        await runner.UpAsync(CancellationToken.None);
        return name;
    }

    public static async Task<string> CreateEmptyDatabaseAsync()
    {
        var name = $"loupe_r_{Guid.NewGuid():N}";
        await ExecuteAsync(AdminConnection, $"CREATE DATABASE {name} OWNER loupe_owner");
        return name;
    }

    /// <summary>Drops the database (quietly when the server is down: the cluster goes with the test run).</summary>
    public static async Task DropDatabaseQuietlyAsync(string name)
    {
        try
        {
            await ExecuteAsync(AdminConnection, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        }
        catch (NpgsqlException)
        {
            // Left behind in the throwaway cluster.
        }
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Stops the server (fast shutdown: sessions are ended, as when an operator restarts it) and waits until it is down.</summary>
    public static Task StopAsync() => ControlAsync("stop");

    /// <summary>Starts the server and waits until it accepts connections.</summary>
    public static Task StartAsync() => ControlAsync("start");

    private static async Task ControlAsync(string action)
    {
        var start = new ProcessStartInfo(Require(ControlVariable), [action])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"The control script did not start ({action}).");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{action}' of the restartable PostgreSQL failed ({process.ExitCode}): {await output} {await errors}");
        }
    }

    private static string WithDatabase(string connectionString, string database) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Database = database }.ConnectionString;

    private static string Require(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(MissingReason);
}
