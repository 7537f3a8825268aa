using System.Diagnostics;
using System.Globalization;
using Loupe.Integration.Tests.Support;
using Npgsql;
using Respawn;

namespace Loupe.Integration.Tests.Persistence;

/// <summary>
/// The reset between the tests of a class (ADR 0036): on a real clone of the template, it empties every
/// organization's rows, row-level security and missing DELETE policies notwithstanding, and keeps what
/// the migrations wrote.
/// </summary>
public sealed class DatabaseResetTests : IAsyncDisposable
{
    private readonly ScratchDatabases _databases = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync() => await _databases.DisposeAsync();

    [Fact]
    public async Task Reset_EmptiesEveryOrganizationsRows_IncludingTablesTheApplicationRoleMayNotDeleteFrom()
    {
        var database = await _databases.MigratedAsync();
        var kept = await RowCountsAsync(database, DatabaseReset.KeptTables);
        await WriteTwoOrganizationsAsync(database);

        // The application role cannot do it: row-level security hides other organizations' rows, and
        // jobs have no DELETE policy at all.
        await using (var app = new NpgsqlConnection(TestPostgres.AppConnection(database)))
        {
            await app.OpenAsync(Ct);
            await using var delete = new NpgsqlCommand("DELETE FROM jobs", app);
            (await delete.ExecuteNonQueryAsync(Ct)).ShouldBe(0);
        }

        (await RowCountsAsync(database)).Where(table => table.Value > 0).Select(table => table.Key)
            .ShouldBe(["job_organization_turns", "jobs", "organizations", "users", .. DatabaseReset.KeptTables], ignoreOrder: true);

        await DatabaseReset.ResetAsync(TestPostgres.OwnerConnection(database));

        (await RowCountsAsync(database)).Where(table => table.Value > 0).Select(table => table.Key)
            .ShouldBe(DatabaseReset.KeptTables, ignoreOrder: true);
        (await RowCountsAsync(database, DatabaseReset.KeptTables)).ShouldBe(kept);
    }

    [Fact]
    public async Task TheTablesTheMigrationsFill_AreExactlyTheOnesTheResetKeeps()
    {
        var database = await _databases.MigratedAsync();

        var filled = (await RowCountsAsync(database)).Where(table => table.Value > 0).Select(table => table.Key);

        filled.ShouldBe(DatabaseReset.KeptTables, ignoreOrder: true, "a migration that seeds a table must add it to DatabaseReset.KeptTables");
    }

    [Fact]
    public void EveryTestClass_WhoseFixtureDatabaseCanBeReset_ResetsItBeforeEachTest()
    {
        var sharing = typeof(DatabaseResetTests).Assembly.GetTypes()
            .Where(type => type is { IsClass: true, IsAbstract: false })
            .Where(type => type.GetInterfaces().Any(contract =>
                contract.IsGenericType
                && contract.GetGenericTypeDefinition() == typeof(IClassFixture<>)
                && typeof(IResettableDatabase).IsAssignableFrom(contract.GetGenericArguments()[0])))
            .ToList();

        sharing.ShouldNotBeEmpty();
        sharing.Where(type => !type.IsSubclassOf(typeof(ResetBeforeEachTest))).Select(type => type.FullName).ShouldBeEmpty();
    }

    /// <summary>
    /// A measurement, not a check (explicit; run it on its own): the median time of one reset after a
    /// test's worth of rows, with Respawn's PostgreSQL statement (one TRUNCATE … CASCADE) and with a
    /// DELETE per table, beside what a fresh clone per test would cost (CREATE DATABASE … TEMPLATE, then
    /// DROP). Timing is never asserted: it depends on the machine.
    /// </summary>
    [Fact(Explicit = true)]
    public async Task Reset_MedianTime_TruncateVersusDeleteVersusAClonePerTest()
    {
        const int Rounds = 30;
        var database = await _databases.MigratedAsync();
        var owner = TestPostgres.OwnerConnection(database);
        await using var connection = new NpgsqlConnection(owner);
        await connection.OpenAsync(Ct);
        var options = new RespawnerOptions
        {
            DbAdapter = DbAdapter.Postgres,
            SchemasToInclude = ["public"],
            TablesToIgnore = [.. DatabaseReset.KeptTables.Select(name => new Respawn.Graph.Table("public", name))],
        };
        var truncate = await Respawner.CreateAsync(connection, options);
        var delete = await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = options.DbAdapter,
            SchemasToInclude = options.SchemasToInclude,
            TablesToIgnore = options.TablesToIgnore,
            FormatDeleteStatement = table => $"DELETE FROM {table.GetFullName('"')};",
        });

        var truncateTimes = new List<double>();
        var deleteTimes = new List<double>();
        for (var i = 0; i < Rounds; i++)
        {
            await WriteTwoOrganizationsAsync(database);
            truncateTimes.Add(await TimeAsync(() => truncate.ResetAsync(connection)));
            await WriteTwoOrganizationsAsync(database);
            deleteTimes.Add(await TimeAsync(() => delete.ResetAsync(connection)));
        }

        var cloneTimes = new List<double>();
        for (var i = 0; i < Rounds; i++)
        {
            cloneTimes.Add(await TimeAsync(async () => await TestPostgres.DropDatabaseAsync(await TestPostgres.CreateMigratedDatabaseAsync())));
        }

        (await RowCountsAsync(database)).Where(table => table.Value > 0).Select(table => table.Key).ShouldBe(DatabaseReset.KeptTables, ignoreOrder: true);
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"median of {Rounds}: TRUNCATE reset {Median(truncateTimes):F1} ms, DELETE reset {Median(deleteTimes):F1} ms, clone + drop {Median(cloneTimes):F1} ms"));
    }

    /// <summary>Two organizations with a member each (as the application role), a job each and their claim turns (as the owner).</summary>
    private static async Task WriteTwoOrganizationsAsync(string database)
    {
        var app = TestPostgres.AppConnection(database);
        var organizations = new[] { await TenantData.CreateOrganizationAsync(app, "A"), await TenantData.CreateOrganizationAsync(app, "B") };
        foreach (var organization in organizations)
        {
            await TenantData.AddUsersAsync(app, organization.Id, 1, _ => "Member");
        }

        await using var connection = new NpgsqlConnection(TestPostgres.OwnerConnection(database));
        await connection.OpenAsync(Ct);
        foreach (var organization in organizations)
        {
            await using var command = new NpgsqlCommand(
                """
                INSERT INTO jobs (id, kind, queue, priority, payload, organization_id, state, attempt, max_attempts, run_at, enqueued_at)
                VALUES (gen_random_uuid(), 'test.reset', 'default', 0, '{}', @organization, 'queued', 0, 1, now(), now());
                INSERT INTO job_organization_turns (organization_id, last_turn) VALUES (@organization, 1);
                """,
                connection);
            command.Parameters.AddWithValue("organization", organization.Id);
            await command.ExecuteNonQueryAsync(Ct);
        }
    }

    /// <summary>The row count of every table of the public schema (or of <paramref name="only"/>), as the owner sees them.</summary>
    private static async Task<SortedDictionary<string, long>> RowCountsAsync(string database, IReadOnlyList<string>? only = null)
    {
        await using var connection = new NpgsqlConnection(TestPostgres.OwnerConnection(database));
        await connection.OpenAsync(Ct);
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'", connection))
        await using (var reader = await list.ExecuteReaderAsync(Ct))
        {
            while (await reader.ReadAsync(Ct))
            {
                tables.Add(reader.GetString(0));
            }
        }

        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables.Where(table => only is null || only.Contains(table)))
        {
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM \"{table}\"", connection);
            counts[table] = (long)(await count.ExecuteScalarAsync(Ct))!;
        }

        return counts;
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        await action();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> times)
    {
        var sorted = times.Order().ToList();
        return (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]) / 2;
    }
}
