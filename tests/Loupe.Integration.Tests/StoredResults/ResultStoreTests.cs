using Loupe.Application.Common.Connectors;
using Loupe.Application.Common.Results;
using Loupe.Infrastructure;
using Loupe.Infrastructure.Results;
using Loupe.Integration.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Loupe.Integration.Tests.StoredResults;

/// <summary>Chunks, pages, attempts, clean-up, deletion and tenant isolation of stored results.</summary>
public sealed class ResultStoreTests(DatabaseFixture database) : ResetBeforeEachTest(database), IClassFixture<DatabaseFixture>
{
    private static readonly QueryColumn[] NumberAndLabel = [new("n", "integer"), new("label", "text")];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ManyRows_AreStoredInChunksOfAtMostTwoThousandRows()
    {
        await using var tenant = await ResultTenant.CreateAsync(database);
        var runId = await tenant.NewRunAsync();

        var stored = await tenant.StoreAsync(runId, 1, NumberAndLabel, Numbered(5_000), truncated: true);

        stored.ShouldBe(stored with { RowCount = 5_000, Truncated = true, ChunkCount = 3 });
        stored.StoredBytes.ShouldBeGreaterThan(0);
        (await tenant.ChunkCountAsync(runId, 1)).ShouldBe(3);
        (await tenant.ResultCountAsync(runId, 1)).ShouldBe(1);
    }

    [Fact]
    public async Task WideRows_CloseAChunkAtAboutHalfAMebibyte()
    {
        await using var tenant = await ResultTenant.CreateAsync(database);
        var runId = await tenant.NewRunAsync();
        var wide = new string('w', 10_000);

        var stored = await tenant.StoreAsync(runId, 1, NumberAndLabel, Enumerable.Range(0, 200).Select(i => new object?[] { i, wide + i }));

        // 53 rows of ~10 kB reach 512 KiB: chunks of 53, 53, 53 and 41 rows.
        stored.ChunkCount.ShouldBe(4);
        var page = await tenant.Store().ReadPageAsync(runId, 1, 50, 10, Ct);
        page.ShouldNotBeNull().Rows.Select(r => r[1]).ShouldBe(Enumerable.Range(50, 10).Select(i => wide + i));
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(1_995, 10)]
    [InlineData(1_999, 1)]
    [InlineData(2_000, 1)]
    [InlineData(1_000, 3_500)]
    [InlineData(3_990, 1_000)]
    [InlineData(4_995, 10)]
    [InlineData(0, 5_000)]
    public async Task Pages_AcrossChunkBoundaries_HoldExactlyTheRowsAsked(long offset, int count)
    {
        await using var tenant = await ResultTenant.CreateAsync(database);
        var runId = await tenant.NewRunAsync();
        await tenant.StoreAsync(runId, 1, NumberAndLabel, Numbered(5_000));

        var page = await tenant.Store().ReadPageAsync(runId, 1, offset, count, Ct);

        page.ShouldNotBeNull();
        page.TotalRows.ShouldBe(5_000);
        page.Columns.ShouldBe(NumberAndLabel);
        var expected = Enumerable.Range((int)offset, (int)Math.Min(count, 5_000 - offset)).ToList();
        page.Rows.Select(r => (long)r[0]!).ShouldBe(expected.Select(i => (long)i));
        page.Rows.Select(r => r[1]).ShouldBe(expected.Select(Label));
    }

    [Theory]
    [InlineData(5_000, 10)]
    [InlineData(9_999, 1)]
    [InlineData(100, 0)]
    public async Task APageBeyondTheEndOrOfNoRows_IsEmpty_WithTheTotal(long offset, int count)
    {
        await using var tenant = await ResultTenant.CreateAsync(database);
        var runId = await tenant.NewRunAsync();
        await tenant.StoreAsync(runId, 1, NumberAndLabel, Numbered(5_000));

        var page = await tenant.Store().ReadPageAsync(runId, 1, offset, count, Ct);

        page.ShouldNotBeNull().Rows.ShouldBeEmpty();
        page.TotalRows.ShouldBe(5_000);
    }

    [Fact]
    public async Task AnEmptyResult_IsStored_WithItsColumnsAndNoChunk()
    {
        await using var tenant = await ResultTenant.CreateAsync(database);
        var runId = await tenant.NewRunAsync();

        var stored = await tenant.StoreAsync(runId, 1, NumberAndLabel, []);

        stored.ShouldBe(new StoredResult(0, false, 0, 0));
        var page = await tenant.Store().ReadPageAsync(runId, 1, 0, 100, Ct);
        page.ShouldNotBeNull().Rows.ShouldBeEmpty();
        page.Columns.ShouldBe(NumberAndLabel);
        (await tenant.ExportAsync(runId, 1, ResultFormat.Csv)).ShouldBe("n,label\r\n");
        (await tenant.ExportAsync(runId, 1, ResultFormat.Json)).ShouldBe("""{"columns":[{"name":"n","type":"integer"},{"name":"label","type":"text"}],"rows":[]}""");
    }

    [Fact]
    public async Task ANotStoredResult_ReadsAsNone()
    {
        await using var tenant = await ResultTenant.CreateAsync(database);
        var runId = await tenant.NewRunAsync();

        (await tenant.Store().ReadPageAsync(runId, 1, 0, 10, Ct)).ShouldBeNull();
        (await tenant.ExportAsync(runId, 1, ResultFormat.Csv)).ShouldBeNull();
        (await tenant.ExportAsync(Guid.CreateVersion7(), 1, ResultFormat.Json)).ShouldBeNull();
    }

    [Fact]
    public async Task Attempts_AreStoredApart_AndReadingOneNeverShowsTheOther()
    {
        await using var tenant = await ResultTenant.CreateAsync(database);
        var runId = await tenant.NewRunAsync();
        await tenant.StoreAsync(runId, 1, NumberAndLabel, Enumerable.Range(0, 2_500).Select(i => new object?[] { i, "first" }));
        await tenant.StoreAsync(runId, 2, NumberAndLabel, Enumerable.Range(0, 2_100).Select(i => new object?[] { i, "second" }));

        var second = await tenant.Store().ReadPageAsync(runId, 2, 0, 5_000, Ct);
        var first = await tenant.Store().ReadPageAsync(runId, 1, 0, 5_000, Ct);

        second.ShouldNotBeNull().TotalRows.ShouldBe(2_100);
        second.Rows.Count.ShouldBe(2_100);
        second.Rows.ShouldAllBe(r => (string)r[1]! == "second");
        first.ShouldNotBeNull().Rows.Count.ShouldBe(2_500);
        first.Rows.ShouldAllBe(r => (string)r[1]! == "first");
        var csv = StrictCsv.Parse((await tenant.ExportAsync(runId, 2, ResultFormat.Csv))!);
        csv.Count.ShouldBe(2_101);
        csv.Skip(1).ShouldAllBe(r => r[1] == "second");
    }

    [Fact]
    public async Task AWriterDisposedWithoutCompleting_LeavesNothing()
    {
        await using var tenant = await ResultTenant.CreateAsync(database);
        var runId = await tenant.NewRunAsync();
        await using (var writer = await tenant.Store().BeginAsync(runId, 1, Ct))
        {
            await writer.ColumnsAsync(NumberAndLabel, Ct);
            foreach (var row in Numbered(4_500))
            {
                await writer.RowAsync(row, Ct);
            }

            (await tenant.ChunkCountAsync(runId, 1)).ShouldBe(2, "full chunks go out as they fill");
            (await tenant.Store().ReadPageAsync(runId, 1, 0, 10, Ct)).ShouldBeNull("nothing is visible before completion");
            (await tenant.ExportAsync(runId, 1, ResultFormat.Csv)).ShouldBeNull();
        }

        (await tenant.ChunkCountAsync(runId)).ShouldBe(0);
        (await tenant.ResultCountAsync(runId)).ShouldBe(0);
        (await tenant.Store().ReadPageAsync(runId, 1, 0, 10, Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task StoringAnAttemptAgain_ReplacesWhatThatAttemptStoredBefore_AndNoOtherAttempt()
    {
        await using var tenant = await ResultTenant.CreateAsync(database);
        var runId = await tenant.NewRunAsync();
        await tenant.StoreAsync(runId, 1, NumberAndLabel, Numbered(10));
        await tenant.StoreAsync(runId, 2, NumberAndLabel, Numbered(4_100));
        (await tenant.ChunkCountAsync(runId, 2)).ShouldBeGreaterThan(1);

        // The first write clears the attempt's earlier chunks and summary, in its own transaction.
        await using (var writer = await tenant.Store().BeginAsync(runId, 2, Ct))
        {
            await writer.ColumnsAsync([new QueryColumn("x", "text")], Ct);
            await writer.RowAsync(["again"], Ct);
            await writer.CompleteAsync(new QueryOutcome(1, false, 5), Ct);
        }

        var page = await tenant.Store().ReadPageAsync(runId, 2, 0, 10, Ct);
        page.ShouldNotBeNull().Rows.Single().ShouldBe(["again"]);
        page.TotalRows.ShouldBe(1);
        (await tenant.ChunkCountAsync(runId, 2)).ShouldBe(1);
        (await tenant.Store().ReadPageAsync(runId, 1, 0, 100, Ct)).ShouldNotBeNull().Rows.Count.ShouldBe(10);
    }

    [Fact]
    public async Task ACompletedWriter_RefusesMoreRows()
    {
        await using var tenant = await ResultTenant.CreateAsync(database);
        var runId = await tenant.NewRunAsync();
        await using var writer = await tenant.Store().BeginAsync(runId, 1, Ct);
        await writer.ColumnsAsync(NumberAndLabel, Ct);
        await writer.CompleteAsync(new QueryOutcome(0, false, 0), Ct);

        await Should.ThrowAsync<InvalidOperationException>(async () => await writer.RowAsync([1, "late"], Ct));
        await Should.ThrowAsync<ArgumentException>(async () =>
        {
            await using var other = await tenant.Store().BeginAsync(runId, 2, Ct);
            await other.ColumnsAsync(NumberAndLabel, Ct);
            await other.RowAsync([1], Ct);
        });
    }

    [Fact]
    public async Task Delete_RemovesEveryAttemptOfTheGivenRuns_AndNothingElse()
    {
        await using var tenant = await ResultTenant.CreateAsync(database);
        var deleted = await tenant.NewRunAsync();
        var kept = await tenant.NewRunAsync();
        await tenant.StoreAsync(deleted, 1, NumberAndLabel, Numbered(2_500));
        await tenant.StoreAsync(deleted, 2, NumberAndLabel, Numbered(3));
        await tenant.StoreAsync(kept, 1, NumberAndLabel, Numbered(3));

        await tenant.Store().DeleteAsync([deleted], Ct);
        await tenant.Store().DeleteAsync([], Ct);

        (await tenant.ChunkCountAsync(deleted)).ShouldBe(0);
        (await tenant.ResultCountAsync(deleted)).ShouldBe(0);
        (await tenant.Store().ReadPageAsync(kept, 1, 0, 10, Ct)).ShouldNotBeNull().Rows.Count.ShouldBe(3);
    }

    [Fact]
    public async Task AnotherOrganization_CannotReadExportOrDeleteTheResult()
    {
        await using var owner = await ResultTenant.CreateAsync(database, "Owner");
        await using var other = await ResultTenant.CreateAsync(database, "Other");
        var runId = await owner.NewRunAsync();
        await owner.StoreAsync(runId, 1, NumberAndLabel, Numbered(2_500));
        var intruder = owner.StoreIn(other.OrganizationId);

        (await intruder.ReadPageAsync(runId, 1, 0, 10, Ct)).ShouldBeNull();
        (await owner.ExportAsync(runId, 1, ResultFormat.Csv, intruder)).ShouldBeNull();
        await intruder.DeleteAsync([runId], Ct);

        (await owner.ChunkCountAsync(runId, 1)).ShouldBe(2);
        (await owner.Store().ReadPageAsync(runId, 1, 0, 10, Ct)).ShouldNotBeNull().Rows.Count.ShouldBe(10);
        (await CountChunksAsOrganizationAsync(other.OrganizationId, runId)).ShouldBe(0, "row-level security hides the chunks themselves");
        (await CountChunksAsOrganizationAsync(owner.OrganizationId, runId)).ShouldBe(2);
    }

    [Fact]
    public async Task AnotherOrganization_CannotStoreForTheRun_NorRemoveItsResult()
    {
        await using var owner = await ResultTenant.CreateAsync(database, "Owner");
        await using var other = await ResultTenant.CreateAsync(database, "Other");
        var runId = await owner.NewRunAsync();
        await owner.StoreAsync(runId, 1, NumberAndLabel, Numbered(3));

        // Refused at the first write (a chunk and the summary), which would also clear attempt 1.
        await using (var writer = await owner.StoreIn(other.OrganizationId).BeginAsync(runId, 1, Ct))
        {
            await writer.ColumnsAsync(NumberAndLabel, Ct);
            await writer.RowAsync([1, "intruder"], Ct);
            await Should.ThrowAsync<InvalidOperationException>(() => writer.CompleteAsync(new QueryOutcome(1, false, 10), Ct));
        }

        (await owner.Store().ReadPageAsync(runId, 1, 0, 10, Ct)).ShouldNotBeNull().Rows.Select(r => r[1]).ShouldBe([null, "row 1", "row 2"]);
        (await CountChunksAsOrganizationAsync(other.OrganizationId, runId)).ShouldBe(0);
        (await CountChunksAsOrganizationAsync(owner.OrganizationId, runId)).ShouldBe(1);
    }

    [Fact]
    public async Task WithoutAnOrganization_EveryCallIsRefused()
    {
        await using var tenant = await ResultTenant.CreateAsync(database);
        var runId = await tenant.NewRunAsync();
        var store = tenant.StoreIn(null);

        await Should.ThrowAsync<InvalidOperationException>(() => store.BeginAsync(runId, 1, Ct));
        await Should.ThrowAsync<InvalidOperationException>(() => store.ReadPageAsync(runId, 1, 0, 1, Ct));
        await Should.ThrowAsync<InvalidOperationException>(() => store.ExportAsync(runId, 1, ResultFormat.Csv, ExportOptions.Default, Stream.Null, Ct));
        await Should.ThrowAsync<InvalidOperationException>(() => store.DeleteAsync([runId], Ct));
    }

    [Fact]
    public async Task TheInfrastructure_RegistersTheStore_PerScope()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Loupe"] = database.AppConnection })
            .Build();
        await using var provider = new ServiceCollection().AddLogging().AddInfrastructure(configuration).BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();

        var store = scope.ServiceProvider.GetRequiredService<IResultStore>();

        store.ShouldBeOfType<PostgresResultStore>();
        store.ShouldBeSameAs(scope.ServiceProvider.GetRequiredService<IResultStore>());
    }

    private static IEnumerable<object?[]> Numbered(int count) => Enumerable.Range(0, count).Select(i => new object?[] { i, Label(i) });

    private static string? Label(int i) => i % 7 == 0 ? null : $"row {i}";

    private async Task<long> CountChunksAsOrganizationAsync(Guid organizationId, Guid runId)
    {
        await using var connection = new NpgsqlConnection(database.AppConnection);
        await connection.OpenAsync(Ct);
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        await using var scope = new NpgsqlCommand("SELECT set_config('loupe.organization_id', $1, true)", connection, transaction);
        scope.Parameters.Add(new NpgsqlParameter<string> { TypedValue = organizationId.ToString() });
        await scope.ExecuteNonQueryAsync(Ct);
        await using var count = new NpgsqlCommand("SELECT count(*) FROM run_result_chunks WHERE run_id = $1", connection, transaction);
        count.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = runId });
        return (long)(await count.ExecuteScalarAsync(Ct))!;
    }
}
