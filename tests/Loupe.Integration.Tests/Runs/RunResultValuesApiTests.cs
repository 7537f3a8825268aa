using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Runs;

/// <summary>
/// A run's values as a browser reads them from <c>/results</c>, <c>results.json</c> and <c>results.csv</c>
/// (ADR 0044), read from a real PostgreSQL data source through the API.
/// </summary>
public sealed class RunResultValuesApiTests(RunsApi api) : ResetBeforeEachTest(api), IClassFixture<RunsApi>
{
    private const string Sql =
        "select 9007199254740993::bigint as big, 42::bigint as small, 12.50::numeric(12,2) as amount, 'NaN'::numeric as nan, "
        + "'{\"a\": [1, 2]}'::jsonb as doc, interval '1 month 2 hours' as span, '=1+2' as formula, -3 as neg, 'Infinity'::float8 as inf";

    private static readonly string[] Types = ["bigint", "bigint", "numeric(12,2)", "numeric", "jsonb", "interval", "text", "integer", "double precision"];

    [Fact]
    public async Task AResultPage_AndTheJsonExport_SendValuesJsonParseReadsExactly_WithTheSchemasTypeSpelling()
    {
        var (admin, id) = await RunAsync();

        var page = await IdentityApi.GetOkAsync(admin.Client, $"/api/v1/runs/{id}/results");
        var export = await IdentityApi.GetOkAsync(admin.Client, $"/api/v1/runs/{id}/results.json");

        // A result page holds its rows in the list envelope's data; the export file names them rows.
        foreach (var (answer, rowsName) in new[] { (page, "data"), (export, "rows") })
        {
            answer.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("type").GetString()).ShouldBe(Types);
            var row = answer.GetProperty(rowsName)[0];
            row[0].GetString().ShouldBe("9007199254740993");
            row[1].GetInt64().ShouldBe(42);
            row[2].GetRawText().ShouldBe("12.50");
            row[3].GetString().ShouldBe("NaN");
            row[4].ValueKind.ShouldBe(JsonValueKind.Object);
            row[4].GetProperty("a")[1].GetInt32().ShouldBe(2);
            row[5].GetString().ShouldBe("P1MT2H");
            row[6].GetString().ShouldBe("=1+2");
            row[7].GetInt32().ShouldBe(-3);
            row[8].GetString().ShouldBe("Infinity");
        }
    }

    [Fact]
    public async Task TheCsvExport_EscapesFormulasUnlessToldNot_AndStartsWithAByteOrderMarkWhenAsked()
    {
        var (admin, id) = await RunAsync();

        var escaped = await GetBytesAsync(admin, $"/api/v1/runs/{id}/results.csv");
        var raw = await GetBytesAsync(admin, $"/api/v1/runs/{id}/results.csv?escape_formulas=false");
        var withMark = await GetBytesAsync(admin, $"/api/v1/runs/{id}/results.csv?bom=true");

        var record = "9007199254740993,42,12.50,NaN,\"{\"\"a\"\": [1, 2]}\",P1MT2H,";
        Lines(escaped)[1].ShouldBe(record + "'=1+2,-3,Infinity");
        Lines(raw)[1].ShouldBe(record + "=1+2,-3,Infinity");
        escaped[0].ShouldBe((byte)'b');
        withMark[..3].ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF });
        withMark[3..].ShouldBe(escaped);

        using var wrong = await admin.Client.GetAsync($"/api/v1/runs/{id}/results.csv?bom=maybe", TestContext.Current.CancellationToken);
        wrong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    public async Task ResultEndpoints_AreCompressedWhenTheClientAcceptsIt_AndOtherAnswersAreNot(string encoding)
    {
        var (admin, id) = await RunAsync();
        var plainCsv = await GetBytesAsync(admin, $"/api/v1/runs/{id}/results.csv");
        var plainJson = await GetBytesAsync(admin, $"/api/v1/runs/{id}/results.json");

        foreach (var (url, plain) in new[] { ($"/api/v1/runs/{id}/results.csv", plainCsv), ($"/api/v1/runs/{id}/results.json", plainJson) })
        {
            using var response = await SendAsync(admin, url, encoding);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            response.Content.Headers.ContentEncoding.ShouldBe([encoding], url);
            response.Headers.Vary.ShouldContain("Accept-Encoding");
            (await DecompressAsync(response, encoding)).ShouldBe(plain, url);
        }

        using (var page = await SendAsync(admin, $"/api/v1/runs/{id}/results", encoding))
        {
            page.Content.Headers.ContentEncoding.ShouldBe([encoding]);
            using var json = JsonDocument.Parse(await DecompressAsync(page, encoding));
            json.RootElement.GetProperty("data")[0][0].GetString().ShouldBe("9007199254740993");
        }

        using var run = await SendAsync(admin, $"/api/v1/runs/{id}", encoding);
        run.StatusCode.ShouldBe(HttpStatusCode.OK);
        run.Content.Headers.ContentEncoding.ShouldBeEmpty();
        JsonDocument.Parse(await run.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.GetProperty("id").GetGuid().ShouldBe(id);
    }

    private static string[] Lines(byte[] csv) => Encoding.UTF8.GetString(csv).Split("\r\n");

    private static async Task<byte[]> GetBytesAsync(Member member, string url)
    {
        using var response = await member.Client.GetAsync(url, TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, url);
        response.Content.Headers.ContentEncoding.ShouldBeEmpty();
        return await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
    }

    private static Task<HttpResponseMessage> SendAsync(Member member, string url, string encoding)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.AcceptEncoding.ParseAdd(encoding);
        return member.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static async Task<byte[]> DecompressAsync(HttpResponseMessage response, string encoding)
    {
        await using var body = await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
        await using Stream decoded = encoding == "gzip" ? new GZipStream(body, CompressionMode.Decompress) : new BrotliStream(body, CompressionMode.Decompress);
        using var plain = new MemoryStream();
        await decoded.CopyToAsync(plain, TestContext.Current.CancellationToken);
        return plain.ToArray();
    }

    private async Task<(Member Admin, Guid Id)> RunAsync()
    {
        var admin = await api.Identity.RegisterAsync();
        var source = await api.CreateSourceAsync(admin);
        var run = await RunsApi.StartAsync(admin, source, Sql);
        var id = run.GetProperty("id").GetGuid();
        var finished = await RunsApi.FinishedAsync(admin, id);
        finished.GetProperty("status").GetString().ShouldBe("succeeded", finished.ToString());
        return (admin, id);
    }
}
