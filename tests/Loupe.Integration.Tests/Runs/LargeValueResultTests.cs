using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Loupe.Integration.Tests.Runs;

/// <summary>
/// Results holding huge values (ADR 0031): pages show a bounded start of each, exports the whole value,
/// and reading pages in parallel keeps the process's memory bounded. Alone in their collection, so that
/// no other test's allocations count against the bound.
/// </summary>
[Collection(LargeValuesSerial.Name)]
public sealed class LargeValueResultTests(LargeValuesApi api) : ResetBeforeEachTest(api), IClassFixture<LargeValuesApi>
{
    private const int ValueBytes = 50_000_000;
    private const int Values = 6;

    /// <summary>What six parallel reads of the page, four times over, may add to the process's working set.</summary>
    private const long MemoryBound = 200L << 20;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PagesOfSixFiftyMegabyteValues_ReadInParallel_StayUnderTheMemoryBound_AndTheExportHoldsThemWhole()
    {
        var admin = await api.Identity.RegisterAsync();
        // Another admin reads it: an ad-hoc run's result is seen only by who ran it and by admins.
        var reader = await api.Identity.AddMemberAsync(admin, "admin");
        var source = await api.CreateSourceAsync(admin);
        var id = await SucceededRunAsync(admin, source, $"select g as n, repeat('x', {ValueBytes}) as body from generate_series(1, {Values}) g order by g");

        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var baseline = Environment.WorkingSet;
        long peak = baseline;
        using var reading = new CancellationTokenSource();
        var sampler = Task.Run(
            async () =>
            {
                while (!reading.IsCancellationRequested)
                {
                    peak = Math.Max(peak, Environment.WorkingSet);
                    await Task.Delay(5, CancellationToken.None);
                }
            },
            CancellationToken.None);

        var pages = new List<JsonElement>();
        try
        {
            for (var round = 0; round < 4; round++)
            {
                pages.AddRange(await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => IdentityApi.GetOkAsync(reader.Client, $"/api/v1/runs/{id}/results?per_page=10"))));
            }
        }
        finally
        {
            await reading.CancelAsync();
            await sampler;
        }

        var grown = Math.Max(peak, Environment.WorkingSet) - baseline;
        grown.ShouldBeLessThan(MemoryBound, $"the working set grew by {grown >> 20} MiB from {baseline >> 20} MiB while the pages were read");
        foreach (var page in pages)
        {
            page.GetProperty("cells_truncated").GetInt32().ShouldBe(Values);
            var rows = page.GetProperty("data").EnumerateArray().ToList();
            rows.Select(r => r[0].GetInt64()).ShouldBe(Enumerable.Range(1, Values).Select(n => (long)n));
            rows.ShouldAllBe(r => r[1].ValueKind == JsonValueKind.Object);
            var cell = rows[0][1];
            cell.GetProperty("truncated").GetBoolean().ShouldBeTrue();
            cell.GetProperty("bytes").GetInt64().ShouldBe(ValueBytes);
            cell.GetProperty("prefix").GetString().ShouldBe(new string('x', 65_536));
        }

        // The export streams every value whole: a header, then per row its number, a comma, the value, CRLF.
        using var export = await reader.Client.GetAsync($"/api/v1/runs/{id}/results.csv", HttpCompletionOption.ResponseHeadersRead, Ct);
        export.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await CountAsync(await export.Content.ReadAsStreamAsync(Ct))).ShouldBe("n,body\r\n".Length + (Values * ("1,".Length + ValueBytes + 2)));
    }

    [Fact]
    public async Task APageOfA200MegabyteSqliteBlob_IsA200_WithTheCellTruncated_NotA500()
    {
        var admin = await api.Identity.RegisterAsync();
        var source = await api.CreateSqliteSourceAsync(admin);
        var id = await SucceededRunAsync(admin, source, "select 1 as n, zeroblob(200000000) as b");

        var page = await IdentityApi.GetOkAsync(admin.Client, $"/api/v1/runs/{id}/results");

        page.GetProperty("cells_truncated").GetInt32().ShouldBe(1);
        var row = page.GetProperty("data").EnumerateArray().ShouldHaveSingleItem();
        row[0].GetInt64().ShouldBe(1);
        row[1].GetProperty("truncated").GetBoolean().ShouldBeTrue();
        row[1].GetProperty("bytes").GetInt64().ShouldBe(2 + (2L * 200_000_000));
        row[1].GetProperty("prefix").GetString().ShouldBe(@"\x" + new string('0', 65_534));
    }

    private static async Task<Guid> SucceededRunAsync(Member member, Guid source, string sql)
    {
        var id = (await RunsApi.StartAsync(member, source, sql)).GetProperty("id").GetGuid();
        var finished = await RunsApi.FinishedAsync(member, id, TimeSpan.FromMinutes(5));
        finished.GetProperty("status").GetString().ShouldBe("succeeded", finished.ToString());
        return id;
    }

    private static async Task<long> CountAsync(Stream stream)
    {
        await using (stream)
        {
            var buffer = new byte[81_920];
            long total = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer, Ct)) > 0)
            {
                total += read;
            }

            return total;
        }
    }
}

/// <summary>The large-value tests run alone: their memory bound must not count other tests' allocations.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LargeValuesSerial
{
    public const string Name = "Large values";
}

/// <summary>The runs API host, with a SQLite data folder holding one empty database.</summary>
public sealed class LargeValuesApi : RunsApi
{
    private readonly string _folder = Directory.CreateTempSubdirectory("loupe-large-").FullName;

    /// <summary>A SQLite data source on an empty database of the folder.</summary>
    public async Task<Guid> CreateSqliteSourceAsync(Member admin)
    {
        var file = $"empty-{Guid.NewGuid():N}.db";
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(_folder, file)}"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE t (x integer)";
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        SqliteConnection.ClearAllPools();
        using var response = await admin.Client.PostAsJsonAsync(
            "/api/v1/datasources",
            new { name = $"sqlite {file}", type = "sqlite", settings = new { path = file } },
            TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetGuid();
    }

    protected override void AddSettings(IDictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings["DataSources:SqliteFolder"] = _folder;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
