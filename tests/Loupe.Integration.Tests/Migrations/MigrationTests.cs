using Loupe.Infrastructure.Persistence;
using Loupe.Infrastructure.Persistence.Migrations;
using Loupe.Integration.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Loupe.Integration.Tests.Migrations;

public sealed class MigrationTests : IAsyncDisposable
{
    private readonly ScratchDatabases _databases = new();

    public ValueTask DisposeAsync() => _databases.DisposeAsync();

    [Fact]
    public async Task ApplyAll_RollBackAll_ApplyAgain_EndsWithTheSameSchema()
    {
        var database = await _databases.EmptyAsync();
        var runner = TestPostgres.Runner(database);
        var ct = TestContext.Current.CancellationToken;

        var firstApplied = await runner.UpAsync(ct);
        var afterFirst = await SchemaSnapshot.TakeAsync(TestPostgres.OwnerConnection(database));
        var rolledBack = await runner.DownAsync(MigrationScript.All.Count, ct);
        var afterDown = await SchemaSnapshot.TakeAsync(TestPostgres.OwnerConnection(database));
        var secondApplied = await runner.UpAsync(ct);
        var afterSecond = await SchemaSnapshot.TakeAsync(TestPostgres.OwnerConnection(database));

        firstApplied.ShouldBe(MigrationScript.All.Select(s => s.Id));
        rolledBack.ShouldBe(MigrationScript.All.Select(s => s.Id).Reverse());
        afterDown.ShouldBeEmpty();
        secondApplied.ShouldBe(firstApplied);
        afterSecond.ShouldBe(afterFirst);
        afterFirst.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task Down_RollsBackOnlyTheLastN()
    {
        var database = await _databases.EmptyAsync();
        var runner = TestPostgres.Runner(database);
        var ct = TestContext.Current.CancellationToken;
        await runner.UpAsync(ct);

        var rolledBack = await runner.DownAsync(1, ct);
        var status = await runner.StatusAsync(ct);

        rolledBack.ShouldBe([MigrationScript.All[^1].Id]);
        status.Where(s => !s.Applied).Select(s => s.Id).ShouldBe([MigrationScript.All[^1].Id]);
        status.Count(s => s.Applied).ShouldBe(MigrationScript.All.Count - 1);
    }

    [Fact]
    public async Task Status_ListsEveryMigrationAsPendingThenApplied()
    {
        var database = await _databases.EmptyAsync();
        var runner = TestPostgres.Runner(database);
        var ct = TestContext.Current.CancellationToken;

        var before = await runner.StatusAsync(ct);
        await runner.UpAsync(ct);
        var after = await runner.StatusAsync(ct);

        before.ShouldAllBe(s => !s.Applied && s.KnownToThisBuild);
        before.Select(s => s.Id).ShouldBe(MigrationScript.All.Select(s => s.Id));
        after.ShouldAllBe(s => s.Applied && s.KnownToThisBuild);
    }

    [Fact]
    public async Task TwoInstancesStartingTogether_ApplyEachMigrationOnce()
    {
        var database = await _databases.EmptyAsync();
        var ct = TestContext.Current.CancellationToken;

        var results = await Task.WhenAll(
            Task.Run(() => TestPostgres.Runner(database).UpAsync(ct), ct),
            Task.Run(() => TestPostgres.Runner(database).UpAsync(ct), ct));

        results.SelectMany(r => r).ShouldBe(MigrationScript.All.Select(s => s.Id), ignoreOrder: true);
        await using var connection = new NpgsqlConnection(TestPostgres.OwnerConnection(database));
        await connection.OpenAsync(ct);
        await using var count = new NpgsqlCommand("SELECT count(*) FROM \"__EFMigrationsHistory\"", connection);
        ((long)(await count.ExecuteScalarAsync(ct))!).ShouldBe(MigrationScript.All.Count);
    }

    [Fact]
    public async Task EditedAppliedMigration_IsDetected_AndNothingRuns()
    {
        var database = await _databases.EmptyAsync();
        var runner = TestPostgres.Runner(database);
        var ct = TestContext.Current.CancellationToken;
        await runner.UpAsync(ct);

        // What the database recorded no longer matches the file: as if someone edited 0001 after it ran.
        await using (var connection = new NpgsqlConnection(TestPostgres.OwnerConnection(database)))
        {
            await connection.OpenAsync(ct);
            await using var tamper = new NpgsqlCommand(
                $"UPDATE loupe_migration_checksums SET sha256 = repeat('0', 64) WHERE migration_id = '{MigrationScript.All[0].Id}'",
                connection);
            (await tamper.ExecuteNonQueryAsync(ct)).ShouldBe(1);
        }

        var drift = await Should.ThrowAsync<MigrationDriftException>(() => runner.UpAsync(ct));

        drift.EditedMigrations.ShouldBe([MigrationScript.All[0].FileStem]);
        drift.Message.ShouldContain(MigrationScript.All[0].FileStem);
        await Should.ThrowAsync<MigrationDriftException>(() => runner.DownAsync(1, ct));
        (await runner.StatusAsync(ct)).ShouldAllBe(s => s.Applied);
    }

    [Fact]
    public async Task MigratedSchema_IsExactlyWhatTheEfModelExpects()
    {
        var migrated = await _databases.EmptyAsync();
        await TestPostgres.Runner(migrated).UpAsync(TestContext.Current.CancellationToken);
        var modelled = await _databases.EmptyAsync();
        var options = new DbContextOptionsBuilder<LoupeDbContext>().UseNpgsql(TestPostgres.OwnerConnection(modelled)).Options;
        await using (var context = new LoupeDbContext(options))
        {
            await context.Database.EnsureCreatedAsync(TestContext.Current.CancellationToken);
        }

        var fromMigrations = await SchemaSnapshot.TakeAsync(TestPostgres.OwnerConnection(migrated));
        var fromModel = await SchemaSnapshot.TakeAsync(TestPostgres.OwnerConnection(modelled));

        fromMigrations.ShouldNotBeEmpty();
        fromMigrations.ShouldBe(fromModel);
    }

    [Fact]
    public async Task ApplicationRole_OwnsNothing_AndGetsDataAccessButCannotRewriteHistory()
    {
        var database = await _databases.EmptyAsync();
        var ct = TestContext.Current.CancellationToken;
        await TestPostgres.Runner(database).UpAsync(ct);

        await using var connection = new NpgsqlConnection(TestPostgres.AppConnection(database));
        await connection.OpenAsync(ct);
        await using (var owned = new NpgsqlCommand("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user", connection))
        {
            ((long)(await owned.ExecuteScalarAsync(ct))!).ShouldBe(0);
        }

        var organizationId = Guid.CreateVersion7();
        await using (var write = new NpgsqlCommand(
            $"SELECT set_config('loupe.organization_id', '{organizationId}', true); " +
            $"INSERT INTO organizations (id, name, time_zone, created_at, updated_at) VALUES ('{organizationId}', 'Acme', 'UTC', now(), now())",
            connection))
        {
            (await write.ExecuteNonQueryAsync(ct)).ShouldBe(1);
        }

        await using var rewrite = new NpgsqlCommand("DELETE FROM loupe_migration_checksums", connection);
        var refused = await Should.ThrowAsync<PostgresException>(() => rewrite.ExecuteNonQueryAsync(ct));
        refused.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
    }

    [Fact]
    public async Task Cli_UpStatusDown_SayWhatTheyDid()
    {
        var database = await _databases.EmptyAsync();
        var runner = TestPostgres.Runner(database);
        var ct = TestContext.Current.CancellationToken;
        var last = MigrationScript.All[^1].Id;
        using var output = new StringWriter();

        (await MigrationCli.RunAsync(["up"], runner, output, ct)).ShouldBe(0);
        (await MigrationCli.RunAsync(["status"], runner, output, ct)).ShouldBe(0);
        (await MigrationCli.RunAsync(["down", "1"], runner, output, ct)).ShouldBe(0);
        (await MigrationCli.RunAsync(["down", "0"], runner, output, ct)).ShouldBe(2);

        var text = output.ToString();
        text.ShouldContain("Applied: ");
        text.ShouldContain($"{last}  applied");
        text.ShouldContain($"Rolled back: {last}");
        text.ShouldContain(MigrationCli.Usage);
    }
}
