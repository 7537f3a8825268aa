using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Runs;

/// <summary>
/// What the editor needs from runs: a draft run with parameters bound like a saved query's, the values
/// and expiry it shows, and database errors that point into the SQL as written.
/// </summary>
public sealed class RunDraftApiTests(RunsApi api) : ResetBeforeEachTest(api), IClassFixture<RunsApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnAdHocRun_WithParameterDefinitionsAndValues_IsBoundAsDatabaseParameters_AndShowsThem()
    {
        var (admin, source) = await SetUpAsync();
        var run = await RunsApi.StartAsync(admin, source, "select {{ n }} + 1 as next, {{ label }} as label, {{ day }} as day", new
        {
            parameter_definitions = new object[]
            {
                new { name = "n", type = "number" },
                new { name = "label", type = "text", @default = "it's {{ not }} sql" },
                new { name = "day", type = "date", required = false },
            },
            parameters = new { n = 41 },
        });
        run.GetProperty("queue_position").GetInt32().ShouldBe(1);

        var finished = await RunsApi.FinishedAsync(admin, run.GetProperty("id").GetGuid());

        finished.GetProperty("status").GetString().ShouldBe("succeeded", finished.ToString());
        var parameters = finished.GetProperty("parameters");
        parameters.GetProperty("n").GetInt32().ShouldBe(41);
        parameters.GetProperty("label").GetString().ShouldBe("it's {{ not }} sql");
        parameters.GetProperty("day").ValueKind.ShouldBe(JsonValueKind.Null);
        finished.GetProperty("result_expires_at").GetDateTimeOffset().ShouldBeGreaterThan(finished.GetProperty("finished_at").GetDateTimeOffset());
        finished.TryGetProperty("queue_position", out var position).ShouldBeTrue();
        position.ValueKind.ShouldBe(JsonValueKind.Null);
        var page = await IdentityApi.GetOkAsync(admin.Client, $"/api/v1/runs/{run.GetProperty("id").GetGuid()}/results");
        var row = page.GetProperty("data")[0];
        row[0].GetInt32().ShouldBe(42);
        row[1].GetString().ShouldBe("it's {{ not }} sql");
        row[2].ValueKind.ShouldBe(JsonValueKind.Null);

        // Without parameters a run shows none.
        var plain = await RunsApi.FinishedAsync(admin, (await RunsApi.StartAsync(admin, source, "select 1 as one")).GetProperty("id").GetGuid());
        plain.GetProperty("parameters").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task ADraftBreakingTheRulesOfASavedQuery_IsA400NamingEachField_AndRunsNothing()
    {
        var (admin, source) = await SetUpAsync();
        var number = new object[] { new { name = "n", type = "number" } };

        var unknown = await StartRefusedAsync(admin, source, "select {{ m }}", number, null);
        var unused = await StartRefusedAsync(admin, source, "select 1", number, null);
        var missing = await StartRefusedAsync(admin, source, "select {{ n }}", number, null);
        var wrongShape = await StartRefusedAsync(admin, source, "select {{ n }}", number, new { n = "many" });
        var undefined = await StartRefusedAsync(admin, source, "select {{ n }}", null, null);
        var badType = await StartRefusedAsync(admin, source, "select {{ n }}", new object[] { new { name = "n", type = "colour" } }, null);

        unknown.ShouldContain("sql");
        unused.ShouldContain("parameter_definitions[0].name");
        missing.ShouldContain("parameters.n");
        wrongShape.ShouldContain("parameters.n");
        undefined.ShouldContain("sql");
        badType.ShouldContain("parameter_definitions[0].type");
        (await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/runs")).ShouldBeEmpty();
    }

    [Fact]
    public async Task ADatabaseError_CarriesItsLineAndColumnInTheSqlAsWritten_AndItsHint()
    {
        var (admin, source) = await SetUpAsync();
        const string sql = "select 1 as a,\n  {{ label }} as b,\n  nosuchcolumn";
        var run = await RunsApi.StartAsync(admin, source, sql, new
        {
            parameter_definitions = new object[] { new { name = "label", type = "text" } },
            parameters = new { label = "a much longer value than its placeholder" },
        });

        var failed = await RunsApi.FinishedAsync(admin, run.GetProperty("id").GetGuid());

        failed.GetProperty("status").GetString().ShouldBe("failed");
        var error = failed.GetProperty("error");
        error.GetProperty("code").GetString().ShouldBe("42703");
        error.GetProperty("line").GetInt32().ShouldBe(3, error.ToString());
        error.GetProperty("column").GetInt32().ShouldBe(3, error.ToString());

        var hinted = await RunsApi.FinishedAsync(admin, (await RunsApi.StartAsync(admin, source, "select\n lenght('x')")).GetProperty("id").GetGuid());
        var hint = hinted.GetProperty("error");
        hint.GetProperty("code").GetString().ShouldBe("42883");
        hint.GetProperty("line").GetInt32().ShouldBe(2);
        hint.GetProperty("column").GetInt32().ShouldBe(2);
        hint.GetProperty("hint").GetString()!.ShouldNotBeNullOrWhiteSpace();

        var detailed = await RunsApi.FinishedAsync(admin, (await RunsApi.StartAsync(admin, source, "select '{\"a\": 1'::json as j")).GetProperty("id").GetGuid());
        var detail = detailed.GetProperty("error");
        detail.GetProperty("code").GetString().ShouldBe("22P02");
        detail.GetProperty("detail").GetString()!.ShouldNotBeNullOrWhiteSpace();
    }

    private async Task<(Member Admin, Guid Source)> SetUpAsync()
    {
        var admin = await api.Identity.RegisterAsync();
        return (admin, await api.CreateSourceAsync(admin));
    }

    /// <summary>Posts a draft run expected to be refused; answers the fields its 400 names.</summary>
    private static async Task<List<string>> StartRefusedAsync(Member member, Guid source, string sql, object[]? definitions, object? values)
    {
        using var response = await member.Client.PostAsJsonAsync(
            "/api/v1/runs", new { datasource_id = source, sql, parameter_definitions = definitions, parameters = values }, Ct);
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        return [.. problem.GetProperty("errors").EnumerateObject().Select(e => e.Name)];
    }
}
