using System.Text.Json;
using Loupe.Application.Common.Connectors;
using Loupe.Application.Common.Results;
using Loupe.Infrastructure.Connectors.Postgres;
using Loupe.Integration.Tests.Connectors;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.StoredResults;

/// <summary>
/// Every PostgreSQL type family, read by the real connector into a writer, comes back from a page, the
/// CSV export and the JSON export as its canonical text (ADR 0022), typed as the JSON answer shows it.
/// </summary>
public sealed class ResultTypeRoundTripTests(DatabaseFixture database) : ResetBeforeEachTest(database), IClassFixture<DatabaseFixture>
{
    /// <summary>Column, SQL expression, stored text (null for NULL), and the value as JSON.</summary>
    private static readonly (string Name, string Sql, string? Text, string Json)[] Cases =
    [
        ("int_value", "42::int", "42", "42"),
        ("smallint_value", "-7::smallint", "-7", "-7"),
        // Past what a double holds exactly (2^53 − 1, 15 significant digits): strings, so JSON.parse does not round them.
        ("bigint_value", "9007199254740993::bigint", "9007199254740993", "\"9007199254740993\""),
        ("bigint_safe", "9007199254740991::bigint", "9007199254740991", "9007199254740991"),
        ("bigint_min", "(-9223372036854775807 - 1)::bigint", "-9223372036854775808", "\"-9223372036854775808\""),
        ("numeric_value", "-12.50::numeric(10, 2)", "-12.50", "-12.50"),
        ("numeric_typed", "12.50::numeric(10, 2)", "12.50", "12.50"),
        ("numeric_plain", "123456789.000000001::numeric", "123456789.000000001", "\"123456789.000000001\""),
        ("numeric_fifteen", "123456789.012345::numeric", "123456789.012345", "123456789.012345"),
        ("numeric_small", "0.000123::numeric", "0.000123", "0.000123"),
        ("numeric_zero", "0.00::numeric(5, 2)", "0.00", "0.00"),
        ("numeric_long_fraction", "1.0000000000000000000000000000001::numeric", "1.0000000000000000000000000000001", "\"1.0000000000000000000000000000001\""),
        ("numeric_nan", "'NaN'::numeric", "NaN", "\"NaN\""),
        ("numeric_infinity", "'-Infinity'::numeric", "-Infinity", "\"-Infinity\""),
        ("double_value", "1.5::float8", "1.5", "1.5"),
        ("double_tiny", "5e-324::float8", "5E-324", "5E-324"),
        ("double_nan", "'NaN'::float8", "NaN", "\"NaN\""),
        ("double_infinity", "'-Infinity'::float8", "-Infinity", "\"-Infinity\""),
        ("real_value", "0.1::real", "0.1", "0.1"),
        ("bool_true", "true", "true", "true"),
        ("bool_false", "false", "false", "false"),
        ("bool_null", "NULL::boolean", null, "null"),
        ("text_specials", "E'a,b \"c\"\\r\\nd'", "a,b \"c\"\r\nd", "\"a,b \\\"c\\\"\\r\\nd\""),
        ("text_unicode", "'Grüße 🦆 ✓'", "Grüße 🦆 ✓", "\"Grüße 🦆 ✓\""),
        ("text_empty", "''", string.Empty, "\"\""),
        ("text_null", "NULL::text", null, "null"),
        ("text_control", "E'tab\\there\\x01'", "tab\there\u0001", "\"tab\\there\\u0001\""),
        ("varchar_value", "'x'::varchar(5)", "x", "\"x\""),
        ("date_value", "DATE '2024-02-29'", "2024-02-29", "\"2024-02-29\""),
        ("timestamp_value", "TIMESTAMP '2024-02-29 13:45:07.123456'", "2024-02-29T13:45:07.123456", "\"2024-02-29T13:45:07.123456\""),
        ("timestamp_whole", "TIMESTAMP '2024-02-29 13:45:07'", "2024-02-29T13:45:07", "\"2024-02-29T13:45:07\""),
        ("timestamptz_value", "TIMESTAMPTZ '2024-02-29 13:45:07.5+02'", "2024-02-29T11:45:07.5Z", "\"2024-02-29T11:45:07.5Z\""),
        ("timestamptz_infinity", "'infinity'::timestamptz", "infinity", "\"infinity\""),

        // Dates at the edges come back as written, and only an infinity reads as one (ADR 0027).
        ("date_last", "DATE '9999-12-31'", "9999-12-31", "\"9999-12-31\""),
        ("date_first", "DATE '0001-01-01'", "0001-01-01", "\"0001-01-01\""),
        ("timestamptz_first", "'0001-01-01 00:00:00+00'::timestamptz", "0001-01-01T00:00:00Z", "\"0001-01-01T00:00:00Z\""),
        ("timestamp_first", "TIMESTAMP '0001-01-01 00:00:00'", "0001-01-01T00:00:00", "\"0001-01-01T00:00:00\""),
        ("timestamp_last", "TIMESTAMP '9999-12-31 23:59:59.999999'", "9999-12-31T23:59:59.999999", "\"9999-12-31T23:59:59.999999\""),
        ("date_infinity", "'infinity'::date", "infinity", "\"infinity\""),
        ("date_minus_infinity", "'-infinity'::date", "-infinity", "\"-infinity\""),
        ("timestamp_minus_infinity", "'-infinity'::timestamp", "-infinity", "\"-infinity\""),
        ("time_value", "TIME '08:30:00.25'", "08:30:00.25", "\"08:30:00.25\""),
        ("timetz_value", "'08:30:00+02'::timetz", "08:30:00+02:00", "\"08:30:00+02:00\""),
        ("interval_value", "interval '1 day 02:03:04'", "P1DT2H3M4S", "\"P1DT2H3M4S\""),
        ("interval_months", "interval '1 year 2 months 3 days 04:05:06.5'", "P1Y2M3DT4H5M6.5S", "\"P1Y2M3DT4H5M6.5S\""),
        ("interval_hours", "interval '26 hours'", "PT26H", "\"PT26H\""),
        ("interval_array", "ARRAY[interval '1 month', NULL]", "{P1M,NULL}", "\"{P1M,NULL}\""),
        ("uuid_value", "'f47ac10b-58cc-4372-a567-0e02b2c3d479'::uuid", "f47ac10b-58cc-4372-a567-0e02b2c3d479", "\"f47ac10b-58cc-4372-a567-0e02b2c3d479\""),
        ("bytea_value", "'\\xdeadbeef00'::bytea", "\\xdeadbeef00", "\"\\\\xdeadbeef00\""),
        ("bytea_empty", "''::bytea", "\\x", "\"\\\\x\""),
        ("jsonb_value", "'{\"b\": [1, 2], \"a\": \"x\"}'::jsonb", "{\"a\": \"x\", \"b\": [1, 2]}", "{\"a\": \"x\", \"b\": [1, 2]}"),
        ("json_value", "'[1, {\"x\": null}, 12345678901234567890]'::json", "[1, {\"x\": null}, 12345678901234567890]", "[1, {\"x\": null}, 12345678901234567890]"),
        ("int_array", "ARRAY[1, 2, 3]", "{1,2,3}", "\"{1,2,3}\""),
        ("int_matrix", "'{{1,2},{3,4}}'::int[]", "{{1,2},{3,4}}", "\"{{1,2},{3,4}}\""),
        ("text_array", "ARRAY['a b', NULL, '', 'NULL', 'q\"x\\y', 'plain']", "{\"a b\",NULL,\"\",\"NULL\",\"q\\\"x\\\\y\",plain}", "\"{\\\"a b\\\",NULL,\\\"\\\",\\\"NULL\\\",\\\"q\\\\\\\"x\\\\\\\\y\\\",plain}\""),
        ("date_array", "ARRAY[DATE '2024-01-02']", "{2024-01-02}", "\"{2024-01-02}\""),
        ("int_array_nulls", "ARRAY[1, NULL, 3]", "{1,NULL,3}", "\"{1,NULL,3}\""),
        ("numeric_array_nulls", "ARRAY[1.50, NULL]::numeric(6, 2)[]", "{1.50,NULL}", "\"{1.50,NULL}\""),
        ("bool_array_nulls", "ARRAY[NULL, false]", "{NULL,false}", "\"{NULL,false}\""),
        ("timestamptz_array_nulls", "ARRAY[TIMESTAMPTZ '2024-02-29 13:45:07+02', NULL]", "{2024-02-29T11:45:07Z,NULL}", "\"{2024-02-29T11:45:07Z,NULL}\""),
        ("numeric_huge", "1e40::numeric", "10000000000000000000000000000000000000000", "\"10000000000000000000000000000000000000000\""),
        ("inet_value", "'192.168.1.1'::inet", "192.168.1.1", "\"192.168.1.1\""),
        ("bit_value", "B'101'::bit(3)", "101", "\"101\""),
        ("macaddr_value", "'08:00:2b:01:02:03'::macaddr", "08:00:2b:01:02:03", "\"08:00:2b:01:02:03\""),
    ];

    private static readonly QueryRequest Request = new(
        "SELECT " + string.Join(", ", Cases.Select(c => $"{c.Sql} AS {c.Name}")) + " FROM generate_series(1, 3)",
        [],
        TimeSpan.FromSeconds(30),
        100,
        10_000_000);

    private readonly PostgresConnector _connector = TestDataSourceHosts.Connector();

    public override async ValueTask DisposeAsync()
    {
        await _connector.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task EveryTypeFamily_ComesBackFromAPage_AsItsJsonValue()
    {
        var (tenant, runId, stored) = await StoreCasesAsync();
        await using var _ = tenant;

        var page = await tenant.Store().ReadPageAsync(runId, 1, 0, 10, TestContext.Current.CancellationToken);

        page.ShouldNotBeNull();
        stored.RowCount.ShouldBe(3);
        page.TotalRows.ShouldBe(3);
        page.Columns.Select(c => c.Name).ShouldBe(Cases.Select(c => c.Name));
        page.Columns.Single(c => c.Name == "bigint_value").TypeName.ShouldBe("bigint");
        page.Columns.Single(c => c.Name == "numeric_typed").TypeName.ShouldBe("numeric(10,2)");
        page.Rows.Count.ShouldBe(3);
        for (var i = 0; i < Cases.Length; i++)
        {
            using var value = JsonDocument.Parse(JsonSerializer.Serialize(page.Rows[1][i]));
            ShouldBeSameJson(value.RootElement, Cases[i].Json, Cases[i].Name);
        }

        page.Rows[0][Index("int_value")].ShouldBe(42L);
        page.Rows[0][Index("bool_true")].ShouldBe(true);
        page.Rows[0][Index("numeric_value")].ShouldBe(-12.50m);
        page.Rows[0][Index("double_nan")].ShouldBe("NaN");
        page.Rows[0][Index("bigint_value")].ShouldBe("9007199254740993");
        page.Rows[0][Index("bigint_safe")].ShouldBe(9007199254740991L);
        page.Rows[0][Index("text_null")].ShouldBeNull();
    }

    [Fact]
    public async Task EveryTypeFamily_IsExportedAsCsv_WithItsCanonicalText()
    {
        var (tenant, runId, _) = await StoreCasesAsync();
        await using var _ = tenant;

        var csv = await tenant.ExportAsync(runId, 1, ResultFormat.Csv);

        var records = StrictCsv.Parse(csv.ShouldNotBeNull());
        records.Count.ShouldBe(4);
        records[0].ShouldBe(Cases.Select(c => c.Name).ToArray());
        foreach (var record in records.Skip(1))
        {
            record.ShouldBe(Cases.Select(c => c.Text).ToArray());
        }
    }

    [Fact]
    public async Task EveryTypeFamily_IsExportedAsJson_NumbersAndBooleansAsJsonValues()
    {
        var (tenant, runId, _) = await StoreCasesAsync();
        await using var _ = tenant;

        var json = await tenant.ExportAsync(runId, 1, ResultFormat.Json);

        using var document = JsonDocument.Parse(json.ShouldNotBeNull());
        var columns = document.RootElement.GetProperty("columns");
        columns.EnumerateArray().Select(c => c.GetProperty("name").GetString()).ShouldBe(Cases.Select(c => c.Name));
        columns[Index("timestamptz_value")].GetProperty("type").GetString().ShouldBe("timestamp with time zone");
        columns[Index("numeric_typed")].GetProperty("type").GetString().ShouldBe("numeric(10,2)");
        var rows = document.RootElement.GetProperty("rows");
        rows.GetArrayLength().ShouldBe(3);
        foreach (var row in rows.EnumerateArray())
        {
            for (var i = 0; i < Cases.Length; i++)
            {
                ShouldBeSameJson(row[i], Cases[i].Json, Cases[i].Name);
                if (Cases[i].Text is { } text && row[i].ValueKind == JsonValueKind.String)
                {
                    row[i].GetString().ShouldBe(text, Cases[i].Name);
                }
            }
        }
    }

    /// <summary>Same kind; numbers with the same text (so <c>-12.50</c> keeps its scale), strings with the same value.</summary>
    private static void ShouldBeSameJson(JsonElement actual, string expectedJson, string name)
    {
        using var expected = JsonDocument.Parse(expectedJson);
        actual.ValueKind.ShouldBe(expected.RootElement.ValueKind, name);
        switch (actual.ValueKind)
        {
            case JsonValueKind.Number:
                actual.GetRawText().ShouldBe(expected.RootElement.GetRawText(), name);
                break;
            case JsonValueKind.String:
                actual.GetString().ShouldBe(expected.RootElement.GetString(), name);
                break;
            case JsonValueKind.Object or JsonValueKind.Array:
                JsonElement.DeepEquals(actual, expected.RootElement).ShouldBeTrue($"{name}: {actual.GetRawText()}");
                break;
        }
    }

    private static int Index(string name) => Array.FindIndex(Cases, c => c.Name == name);

    private async Task<(ResultTenant Tenant, Guid RunId, StoredResult Stored)> StoreCasesAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await ResultTenant.CreateAsync(database);
        var runId = await tenant.NewRunAsync();
        await using var writer = await tenant.Store().BeginAsync(runId, 1, ct);
        var outcome = await _connector.ExecuteAsync(VictimDatabase.TargetFor(database.OwnerConnection), Request, writer, ct);
        var stored = await writer.CompleteAsync(outcome, ct);
        return (tenant, runId, stored);
    }
}
