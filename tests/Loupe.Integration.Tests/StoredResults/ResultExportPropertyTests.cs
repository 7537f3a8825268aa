using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Application.Common.Connectors;
using Loupe.Application.Common.Results;
using Loupe.Infrastructure.Tests.StoredResults;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.StoredResults;

/// <summary>Exports of any table of text cells parse back, with a strict RFC 4180 reader or System.Text.Json, to the same table.</summary>
public sealed class ResultExportPropertyTests(DatabaseFixture database) : ResetBeforeEachTest(database), IClassFixture<DatabaseFixture>
{
    private ResultTenant? _propertyTenant;

    /// <summary>The tenant the properties store their tables in: FsCheck calls a property method once per case, the tenant is made on the first.</summary>
    private ResultTenant PropertyTenant => _propertyTenant ??= ResultTenant.CreateAsync(database).GetAwaiter().GetResult();

    public override async ValueTask DisposeAsync()
    {
        if (_propertyTenant is not null)
        {
            await _propertyTenant.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    [Property(MaxTest = 100)]
    public Property AnyTableOfTextAndNulls_ExportedAsCsv_ParsesBackEqual()
    {
        var tenant = PropertyTenant;

        return Prop.ForAll(ResultGenerators.Table.ToArbitrary(), table =>
        {
            var csv = StoreAndExportAsync(tenant, table, ResultFormat.Csv).GetAwaiter().GetResult();
            var records = StrictCsv.Parse(csv);
            return records.Count == table.Rows.Length + 1
                && records[0].SequenceEqual(table.Names)
                && records.Skip(1).Zip(table.Rows).All(pair => pair.First.SequenceEqual(pair.Second));
        });
    }

    [Property(MaxTest = 100)]
    public Property AnyTableOfTextAndNulls_ExportedAsJson_ParsesBackEqual()
    {
        var tenant = PropertyTenant;

        return Prop.ForAll(ResultGenerators.Table.ToArbitrary(), table =>
        {
            var json = StoreAndExportAsync(tenant, table, ResultFormat.Json).GetAwaiter().GetResult();
            using var document = JsonDocument.Parse(json);
            var names = document.RootElement.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString());
            var rows = document.RootElement.GetProperty("rows").EnumerateArray()
                .Select(row => row.EnumerateArray().Select(cell => cell.ValueKind == JsonValueKind.Null ? null : cell.GetString()).ToArray())
                .ToList();
            return names.SequenceEqual(table.Names)
                && rows.Count == table.Rows.Length
                && rows.Zip(table.Rows).All(pair => pair.First.SequenceEqual(pair.Second));
        });
    }

    [Fact]
    public async Task Csv_QuotesOnlyWhatRfc4180Requires_AndTellsNullFromEmpty()
    {
        await using var tenant = await ResultTenant.CreateAsync(database);
        string[] names = ["plain", "comma,name", "say \"hi\""];
        string?[][] rows =
        [
            ["a", "b,c", "d\"e"],
            [null, string.Empty, "line\r\nbreak"],
            ["lf\nonly", "cr\ronly", " spaced "],
        ];

        var csv = await StoreAndExportAsync(tenant, (names, rows), ResultFormat.Csv);

        csv.ShouldNotBeNull().ShouldStartWith("plain,", Case.Sensitive, "no byte order mark comes first");
        csv.ShouldBe(
            "plain,\"comma,name\",\"say \"\"hi\"\"\"\r\n" +
            "a,\"b,c\",\"d\"\"e\"\r\n" +
            ",\"\",\"line\r\nbreak\"\r\n" +
            "\"lf\nonly\",\"cr\ronly\", spaced \r\n");
    }

    [Fact]
    public async Task Json_NumericAndBooleanColumns_HoldJsonValues_AndAnythingElseAsStrings()
    {
        await using var tenant = await ResultTenant.CreateAsync(database);
        var runId = await tenant.NewRunAsync();
        QueryColumn[] columns = [new("i", "INTEGER"), new("r", "REAL"), new("d", "double precision"), new("b", "boolean"), new("t", "text")];
        await tenant.StoreAsync(runId, 1, columns, [
            [1L, 2.5, double.PositiveInfinity, true, "1"],
            ["007", "x", double.NaN, "maybe", null],
            [-3L, 1e300, -0.0, false, "true"],
        ]);

        var json = await tenant.ExportAsync(runId, 1, ResultFormat.Json);
        var page = await tenant.Store().ReadPageAsync(runId, 1, 0, 3, TestContext.Current.CancellationToken);

        json.ShouldBe(
            """{"columns":[{"name":"i","type":"INTEGER"},{"name":"r","type":"REAL"},{"name":"d","type":"double precision"},{"name":"b","type":"boolean"},{"name":"t","type":"text"}],"rows":[""" +
            """[1,2.5,"Infinity",true,"1"],["007","x","NaN","maybe",null],[-3,1E+300,-0,false,"true"]]}""");
        JsonSerializer.Serialize(page.ShouldNotBeNull().Rows).ShouldBe(
            """[[1,2.5,"Infinity",true,"1"],["007","x","NaN","maybe",null],[-3,1E+300,-0,false,"true"]]""");
    }

    private static async Task<string> StoreAndExportAsync(ResultTenant tenant, (string[] Names, string?[][] Rows) table, ResultFormat format)
    {
        var runId = await tenant.NewRunAsync();
        await tenant.StoreAsync(runId, 1, table.Names.Select(n => new QueryColumn(n, "text")).ToList(), table.Rows.Select(r => r.Cast<object?>().ToArray()));
        return (await tenant.ExportAsync(runId, 1, format))!;
    }
}
