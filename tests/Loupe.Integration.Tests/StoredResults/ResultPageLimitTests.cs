using Loupe.Application.Common.Connectors;
using Loupe.Application.Common.Results;
using Loupe.Infrastructure.Runs;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.StoredResults;

/// <summary>What one result page holds (ADR 0031): cells cut at Runs:MaxPageCellBytes, the page at Runs:MaxPageBytes; exports stay whole.</summary>
public sealed class ResultPageLimitTests(DatabaseFixture database) : ResetBeforeEachTest(database), IClassFixture<DatabaseFixture>
{
    private static readonly QueryColumn[] Columns = [new("n", "integer"), new("body", "text")];

    private static readonly RunOptions Small = new() { MaxPageBytes = 65_536, MaxPageCellBytes = 1_000 };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ACellLongerThanACellMayShow_IsATruncatedCell_WithItsStartAndFullLength_AndTheExportsHoldItWhole()
    {
        await using var tenant = await ResultTenant.CreateAsync(database);
        var runId = await tenant.NewRunAsync();
        var exact = new string('e', 1_000);
        var longer = new string('l', 1_001);
        var huge = string.Concat(Enumerable.Repeat("0123456789", 30_000));
        await tenant.StoreAsync(runId, 1, Columns, [[1, exact], [2, longer], [3, null], [4, huge], [5, ""]]);

        var page = (await tenant.Store(Small).ReadPageAsync(runId, 1, 0, 10, Ct)).ShouldNotBeNull();

        page.Rows.Select(r => r[0]).ShouldBe([1L, 2L, 3L, 4L, 5L]);
        page.Rows[0][1].ShouldBe(exact);
        page.Rows[1][1].ShouldBe(new TruncatedCell(1_001, longer[..1_000]));
        page.Rows[2][1].ShouldBeNull();
        page.Rows[3][1].ShouldBe(new TruncatedCell(300_000, huge[..1_000]));
        page.Rows[4][1].ShouldBe(string.Empty);
        page.CellsTruncated.ShouldBe(2);
        var csv = (await tenant.ExportAsync(runId, 1, ResultFormat.Csv)).ShouldNotBeNull();
        csv.ShouldContain($"\r\n4,{huge}\r\n");
        csv.ShouldContain($"\r\n2,{longer}\r\n");
        (await tenant.ExportAsync(runId, 1, ResultFormat.Json)).ShouldNotBeNull().ShouldContain($"[4,\"{huge}\"]");
    }

    [Fact]
    public async Task ATruncatedCell_IsCutOnACharacterBoundary_AndCountsItsBytesInUtf8()
    {
        await using var tenant = await ResultTenant.CreateAsync(database);
        var runId = await tenant.NewRunAsync();

        // 999 one-byte characters, then characters of 2, 3 and 4 bytes: byte 1,000 falls inside the first.
        var mixed = new string('a', 999) + "é€😀";
        await tenant.StoreAsync(runId, 1, Columns, [[1, mixed]]);

        var page = (await tenant.Store(Small).ReadPageAsync(runId, 1, 0, 1, Ct)).ShouldNotBeNull();

        page.Rows.ShouldHaveSingleItem()[1].ShouldBe(new TruncatedCell(999 + 2 + 3 + 4, new string('a', 999)));
    }

    [Fact]
    public async Task OnceThePageHoldsItsBytes_EveryLaterNonEmptyCell_IsTruncatedWithNothingShown()
    {
        await using var tenant = await ResultTenant.CreateAsync(database);
        var runId = await tenant.NewRunAsync();

        // 70 cells of 1,000 bytes (and a number each): the 64 KiB budget runs out inside the 65th row.
        var body = new string('b', 1_000);
        await tenant.StoreAsync(runId, 1, Columns, Enumerable.Range(0, 70).Select(i => new object?[] { i, body }));

        var page = (await tenant.Store(Small).ReadPageAsync(runId, 1, 0, 70, Ct)).ShouldNotBeNull();

        page.Rows.Count.ShouldBe(70);
        var shown = page.Rows.SelectMany(r => r).Sum(cell => cell switch
        {
            string text => text.Length,
            long number => number.ToString(System.Globalization.CultureInfo.InvariantCulture).Length,
            TruncatedCell cut => cut.Prefix.Length,
            _ => 0,
        });
        shown.ShouldBeLessThanOrEqualTo(Small.MaxPageBytes);
        var cuts = page.Rows.SelectMany(r => r).OfType<TruncatedCell>().ToList();
        page.CellsTruncated.ShouldBe(cuts.Count);
        cuts.ShouldNotBeEmpty();
        cuts.ShouldAllBe(cut => cut.Bytes == 1_000 || cut.Bytes == 2);
        cuts.Skip(1).ShouldAllBe(cut => cut.Prefix.Length == 0);
        page.Rows[0].ShouldBe([0L, body]);
        page.Rows[^1][1].ShouldBe(new TruncatedCell(1_000, string.Empty));
    }

    [Fact]
    public async Task WithTheDefaultLimits_AnOrdinaryPage_IsWhole()
    {
        await using var tenant = await ResultTenant.CreateAsync(database);
        var runId = await tenant.NewRunAsync();
        var wide = new string('w', 10_000);
        await tenant.StoreAsync(runId, 1, Columns, Enumerable.Range(0, 300).Select(i => new object?[] { i, wide }));

        var page = (await tenant.Store().ReadPageAsync(runId, 1, 0, 300, Ct)).ShouldNotBeNull();

        page.CellsTruncated.ShouldBe(0);
        page.Rows.ShouldAllBe(r => (string)r[1]! == wide);
    }
}
