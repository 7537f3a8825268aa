using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Loupe.Infrastructure.Tests;
using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Loupe.Integration.Tests.Runs;

/// <summary>POST /runs and everything after it, with the job engine in the API host, against a real PostgreSQL data source.</summary>
public sealed class RunApiTests(RunsApi api) : ResetBeforeEachTest(api), IClassFixture<RunsApi>
{
    [Fact]
    public async Task AdHocRun_IsQueuedThenSucceeds_AndItsResultPagesAndExportsAgree()
    {
        var (admin, source) = await SetUpAsync();
        var run = await RunsApi.StartAsync(admin, source, "select g as n, 'label ' || g as label, g % 2 = 0 as even from generate_series(1, 2500) g order by g");
        run.GetProperty("status").GetString().ShouldBe("queued");
        run.GetProperty("from_cache").GetBoolean().ShouldBeFalse();
        var id = run.GetProperty("id").GetGuid();

        var finished = await RunsApi.FinishedAsync(admin, id);

        finished.GetProperty("status").GetString().ShouldBe("succeeded", finished.ToString());
        finished.GetProperty("row_count").GetInt64().ShouldBe(2500);
        finished.GetProperty("truncated").GetBoolean().ShouldBeFalse();
        finished.GetProperty("attempt").GetInt32().ShouldBe(1);
        finished.GetProperty("duration_ms").GetInt64().ShouldBeGreaterThanOrEqualTo(0);
        finished.GetProperty("started_at").GetDateTimeOffset().ShouldBeGreaterThanOrEqualTo(finished.GetProperty("queued_at").GetDateTimeOffset());

        var page = await IdentityApi.GetOkAsync(admin.Client, $"/api/v1/runs/{id}/results?page=3&per_page=1000");
        page.GetProperty("pagination").GetProperty("total").GetInt64().ShouldBe(2500);
        page.GetProperty("pagination").GetProperty("page").GetInt32().ShouldBe(3);
        page.GetProperty("pagination").GetProperty("per_page").GetInt32().ShouldBe(1000);
        page.GetProperty("pagination").GetProperty("total_pages").GetInt32().ShouldBe(3);
        page.GetProperty("pagination").GetProperty("has_next").GetBoolean().ShouldBeFalse();
        page.GetProperty("pagination").GetProperty("has_prev").GetBoolean().ShouldBeTrue();
        page.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ShouldBe(["n", "label", "even"]);
        var rows = page.GetProperty("data").EnumerateArray().ToList();
        rows.Count.ShouldBe(500);
        rows[0][0].GetInt64().ShouldBe(2001);
        rows[0][1].GetString().ShouldBe("label 2001");
        rows[0][2].GetBoolean().ShouldBeFalse();

        var csv = await admin.Client.GetStringAsync($"/api/v1/runs/{id}/results.csv", TestContext.Current.CancellationToken);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(2501);
        lines[0].ShouldBe("n,label,even");
        lines[2500].ShouldBe("2500,label 2500,true");

        var json = await admin.Client.GetFromJsonAsync<JsonElement>($"/api/v1/runs/{id}/results.json", TestContext.Current.CancellationToken);
        json.GetProperty("rows").GetArrayLength().ShouldBe(2500);
        json.GetProperty("rows")[41][0].GetInt64().ShouldBe(42);
    }

    [Fact]
    public async Task MaxAge_AnswersAFreshEnoughEarlierResult_FromTheCache()
    {
        var (admin, source) = await SetUpAsync();
        var sql = $"select '{Guid.NewGuid():N}' as marker";
        var first = await RunsApi.StartAsync(admin, source, sql);
        await RunsApi.FinishedAsync(admin, first.GetProperty("id").GetGuid());

        var cached = await RunsApi.StartAsync(admin, source, sql, new { max_age_seconds = 600 }, HttpStatusCode.OK);
        var fresh = await RunsApi.StartAsync(admin, source, sql, new { max_age_seconds = 0 });

        cached.GetProperty("from_cache").GetBoolean().ShouldBeTrue();
        cached.GetProperty("id").GetGuid().ShouldBe(first.GetProperty("id").GetGuid());
        fresh.GetProperty("id").GetGuid().ShouldNotBe(first.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task FinalErrors_FailAtOnce_WithTheDatabasesCode_AndTimeoutsEndTimedOut()
    {
        var (admin, source) = await SetUpAsync();

        var missing = await RunsApi.FinishedAsync(admin, (await RunsApi.StartAsync(admin, source, "select * from no_such_table_anywhere")).GetProperty("id").GetGuid());
        var slow = await RunsApi.FinishedAsync(admin, (await RunsApi.StartAsync(admin, source, RunsApi.Busy(2_000_000_000), new { timeout_seconds = 1 })).GetProperty("id").GetGuid());

        missing.GetProperty("status").GetString().ShouldBe("failed");
        missing.GetProperty("error").GetProperty("code").GetString().ShouldBe("42P01");
        missing.GetProperty("attempt").GetInt32().ShouldBe(1);
        slow.GetProperty("status").GetString().ShouldBe("timed_out");
        slow.GetProperty("error").GetProperty("code").GetString().ShouldBe("57014");
        using var noResult = await admin.Client.GetAsync($"/api/v1/runs/{missing.GetProperty("id").GetGuid()}/results.csv", TestContext.Current.CancellationToken);
        (await noResult.ShouldBeProblemAsync(HttpStatusCode.Conflict)).GetProperty("code").GetString().ShouldBe("run.no_result");
    }

    [Fact]
    public async Task Cancel_ARunningRun_RemovesItsQueryFromTheDatabase_AndAFinishedOneIsAConflict()
    {
        var (admin, source) = await SetUpAsync();

        // A query another test cancelled may still be stopping; counting starts once it is gone.
        await Eventually.HoldsAsync(async () => await api.ActiveQueriesAsync() == 0, TimeSpan.FromSeconds(10), "no earlier test's query is left on the data source");

        var id = (await RunsApi.StartAsync(admin, source, RunsApi.Busy(2_000_000_000))).GetProperty("id").GetGuid();
        try
        {
            await RunsApi.ReachesAsync(admin, id, "running");
            await Eventually.HoldsAsync(
                async () => await api.ActiveQueriesAsync() != 0,
                TimeSpan.FromSeconds(10),
                "the run's query is active on the data source",
                api.DescribeActiveQueriesAsync,
                TimeSpan.FromMilliseconds(25));

            (await api.ActiveQueriesAsync()).ShouldBe(1, await api.DescribeActiveQueriesAsync());
        }
        finally
        {
            using var cancel = await admin.Client.PostAsync($"/api/v1/runs/{id}/cancel", null, TestContext.Current.CancellationToken);
            cancel.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await cancel.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("status").GetString().ShouldBe("cancelled");
        }

        // The database query is gone within 2 seconds; the bound allows headroom for a loaded
        // machine (CI saw the cancel land just past 2 s on two busy cores).
        await Eventually.HoldsAsync(
            async () => await api.ActiveQueriesAsync() == 0,
            TimeSpan.FromSeconds(5),
            "the cancelled run's query is gone from the data source",
            api.DescribeActiveQueriesAsync);

        (await api.ActiveQueriesAsync()).ShouldBe(0, await api.DescribeActiveQueriesAsync());
        using var again = await admin.Client.PostAsync($"/api/v1/runs/{id}/cancel", null, TestContext.Current.CancellationToken);
        await again.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        (await RunsApi.FinishedAsync(admin, id)).GetProperty("status").GetString().ShouldBe("cancelled");
    }

    [Fact]
    public async Task Cancel_ByAnotherMemberThanWhoStartedIt_Is403ForASavedQuerysRun_404ForAnAdHocOne_UnlessAnAdmin()
    {
        var (admin, source) = await SetUpAsync();
        var viewer = await api.Identity.AddMemberAsync(admin, "viewer");
        var editor = await api.Identity.AddMemberAsync(admin, "editor");
        var adminsRun = (await RunsApi.StartAsync(admin, source, RunsApi.Busy(2_000_000_000, "_admins"))).GetProperty("id").GetGuid();
        var editorsRun = (await RunsApi.StartAsync(editor, source, RunsApi.Busy(2_000_000_000, "_editors"))).GetProperty("id").GetGuid();
        var busyQuery = await SaveQueryAsync(admin, source, RunsApi.Busy(2_000_000_000, "_saved"));
        using var startSaved = await admin.Client.PostAsJsonAsync($"/api/v1/queries/{busyQuery}/runs", new { }, TestContext.Current.CancellationToken);
        startSaved.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var savedRun = (await startSaved.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetGuid();
        await RunsApi.ReachesAsync(admin, adminsRun, "running");
        await RunsApi.ReachesAsync(admin, editorsRun, "running");
        await RunsApi.ReachesAsync(admin, savedRun, "running");

        // Another person's ad-hoc run is not there for them at all; a saved query's run is, but only its starter or an admin cancels it.
        foreach (var (member, run) in new[] { (viewer, adminsRun), (editor, adminsRun), (viewer, editorsRun) })
        {
            using var hidden = await member.Client.PostAsync($"/api/v1/runs/{run}/cancel", null, TestContext.Current.CancellationToken);
            await hidden.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        }

        foreach (var member in new[] { viewer, editor })
        {
            using var refused = await member.Client.PostAsync($"/api/v1/runs/{savedRun}/cancel", null, TestContext.Current.CancellationToken);
            (await refused.ShouldBeProblemAsync(HttpStatusCode.Forbidden)).GetProperty("code").GetString().ShouldBe("run.cancel_not_allowed");
        }

        (await IdentityApi.GetOkAsync(admin.Client, $"/api/v1/runs/{savedRun}")).GetProperty("status").GetString().ShouldNotBe("cancelled");
        using (var savedByAdmin = await admin.Client.PostAsync($"/api/v1/runs/{savedRun}/cancel", null, TestContext.Current.CancellationToken))
        {
            savedByAdmin.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        (await IdentityApi.GetOkAsync(admin.Client, $"/api/v1/runs/{adminsRun}")).GetProperty("status").GetString().ShouldNotBe("cancelled");
        (await IdentityApi.GetOkAsync(admin.Client, $"/api/v1/runs/{editorsRun}")).GetProperty("status").GetString().ShouldNotBe("cancelled");

        using (var own = await editor.Client.PostAsync($"/api/v1/runs/{editorsRun}/cancel", null, TestContext.Current.CancellationToken))
        {
            own.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using (var byAdmin = await admin.Client.PostAsync($"/api/v1/runs/{adminsRun}/cancel", null, TestContext.Current.CancellationToken))
        {
            byAdmin.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        (await RunsApi.FinishedAsync(admin, adminsRun)).GetProperty("status").GetString().ShouldBe("cancelled");
        (await RunsApi.FinishedAsync(admin, editorsRun)).GetProperty("status").GetString().ShouldBe("cancelled");

        // Both queries stop on the data source too, so the next test counts only its own.
        await Eventually.HoldsAsync(async () => await api.ActiveQueriesAsync() == 0, TimeSpan.FromSeconds(5), "the cancelled runs' queries are gone");
    }

    [Fact]
    public async Task BadRequests_Are400sNamingTheField_AndCreateNothing()
    {
        var (admin, source) = await SetUpAsync();

        using var refused = await admin.Client.PostAsJsonAsync("/api/v1/runs", new { datasource_id = source, sql = "delete from pg_class" }, TestContext.Current.CancellationToken);
        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").GetProperty("sql")[0].GetString()!.ShouldContain("position");

        using var unknown = await admin.Client.PostAsJsonAsync("/api/v1/runs", new { datasource_id = Guid.CreateVersion7(), sql = "select 1" }, TestContext.Current.CancellationToken);
        (await unknown.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("datasource_id", out _).ShouldBeTrue();

        using var tooLong = await admin.Client.PostAsJsonAsync("/api/v1/runs", new { datasource_id = source, sql = "select 1", timeout_seconds = 100_000 }, TestContext.Current.CancellationToken);
        (await tooLong.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("timeout_seconds", out _).ShouldBeTrue();

        (await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/runs")).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("select b.word from ts_stat($$select to_tsvector('simple', set_config('role','postgres',true))$$) a, ts_stat($$select to_tsvector('simple', current_user || ' ' || pg_read_file('/etc/passwd'))$$) b")]
    [InlineData("select b.word from ts_stat($$select to_tsvector('simple', set_config('role','postgres',true))$$) a, ts_stat($$select to_tsvector('simple', string_agg(d, ' ')) from pg_ls_dir('.') d$$) b")]
    [InlineData("select b.word from ts_stat($$select to_tsvector('simple', set_config('role','postgres',true))$$) a, ts_stat($$select to_tsvector('simple', string_agg(query, ' ')) from pg_stat_activity$$) b")]
    [InlineData("select * from ts_stat($$select to_tsvector('simple', pg_sleep(5)::text || pg_advisory_lock(1)::text)$$)")]
    [InlineData("select * from ts_stat($$select to_tsvector('simple', set_config('statement_timeout','0',false))$$)")]
    [InlineData("select ts_rewrite('a'::tsquery, $$select 'a'::tsquery, set_config('role','postgres',true)::tsquery$$)")]
    [InlineData("select query_to_xml($$select pg_read_file('/etc/passwd')$$, true, true, '')")]
    [InlineData("select pg_logical_emit_message(false, 'loupe', repeat('x', 1000000)) from generate_series(1, 60)")]
    public async Task SqlRunBySqlTextFunctions_AndWalWriters_AreRefusedForEditors_EvenOnAnAllowedSuperuserSource(string sql)
    {
        var (admin, source) = await SetUpAsync();
        var editor = await api.Identity.AddMemberAsync(admin, "editor");

        using var refused = await editor.Client.PostAsJsonAsync("/api/v1/runs", new { datasource_id = source, sql }, TestContext.Current.CancellationToken);

        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").GetProperty("sql")[0].GetString()!.ShouldContain("not allowed");
        problem.GetRawText().ShouldNotContain("root:");
        (await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/runs")).ShouldBeEmpty();
    }

    [Fact]
    public async Task ARun_OnAPrivilegedAccountNoLongerAllowed_FailsWithItsCode()
    {
        var (admin, source) = await SetUpAsync();
        using var withdrawn = await admin.Client.PatchAsJsonAsync($"/api/v1/datasources/{source}", new { allow_privileged_account = false }, TestContext.Current.CancellationToken);
        withdrawn.StatusCode.ShouldBe(HttpStatusCode.OK);

        var run = await RunsApi.FinishedAsync(admin, (await RunsApi.StartAsync(admin, source, "select 1")).GetProperty("id").GetGuid());

        run.GetProperty("status").GetString().ShouldBe("failed");
        run.GetProperty("error").GetProperty("code").GetString().ShouldBe("datasource.privileged_account");
        run.GetProperty("attempt").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task Viewers_ReadSavedQueryRuns_ButCannotRunAdHocSql()
    {
        var (admin, source) = await SetUpAsync();
        var viewer = await api.Identity.AddMemberAsync(admin, "viewer");
        var id = await RunSavedAsync(admin, await SaveQueryAsync(admin, source, "select 1 as one"));

        using var refused = await viewer.Client.PostAsJsonAsync("/api/v1/runs", new { datasource_id = source, sql = "select 1" }, TestContext.Current.CancellationToken);
        await refused.ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        (await RunsApi.FinishedAsync(viewer, id)).GetProperty("status").GetString().ShouldBe("succeeded");
        (await IdentityApi.GetRowsAsync(viewer.Client, "/api/v1/runs?status=succeeded")).Select(r => r.GetProperty("id").GetGuid()).ShouldContain(id);
        (await IdentityApi.GetRowsAsync(viewer.Client, "/api/v1/runs?status=failed")).ShouldBeEmpty();
        (await IdentityApi.GetOkAsync(viewer.Client, $"/api/v1/runs/{id}/results")).GetProperty("data")[0][0].GetInt64().ShouldBe(1);
    }

    [Fact]
    public async Task AnAdHocRun_IsSeenOnlyByWhoRanItAndAdmins_EverywhereItCanBeRead_AsIfItDidNotExist()
    {
        var (admin, source) = await SetUpAsync();
        var editor = await api.Identity.AddMemberAsync(admin, "editor");
        var otherEditor = await api.Identity.AddMemberAsync(admin, "editor");
        var viewer = await api.Identity.AddMemberAsync(admin, "viewer");
        var viewerKey = (await IdentityApi.CreateApiKeyAsync(admin, "viewer")).GetProperty("secret").GetString()!;
        using var adminsViewerKey = api.Factory.CreateClient();
        adminsViewerKey.DefaultRequestHeaders.Add("X-API-Key", viewerKey);
        var sql = $"select '{Guid.NewGuid():N}' as secret";
        var adHoc = (await RunsApi.StartAsync(editor, source, sql)).GetProperty("id").GetGuid();
        await RunsApi.FinishedAsync(editor, adHoc);
        var saved = await RunSavedAsync(editor, await SaveQueryAsync(editor, source, "select 2 as shared"));
        var unknown = Guid.CreateVersion7();

        foreach (var client in new[] { viewer.Client, otherEditor.Client, adminsViewerKey })
        {
            foreach (var path in new[] { "", "/results", "/results.csv", "/results.json" })
            {
                using var hidden = await client.GetAsync($"/api/v1/runs/{adHoc}{path}", TestContext.Current.CancellationToken);
                using var missing = await client.GetAsync($"/api/v1/runs/{unknown}{path}", TestContext.Current.CancellationToken);
                var hiddenProblem = await hidden.ShouldBeProblemAsync(HttpStatusCode.NotFound);
                var missingProblem = await missing.ShouldBeProblemAsync(HttpStatusCode.NotFound);
                hiddenProblem.GetProperty("title").GetString().ShouldBe(missingProblem.GetProperty("title").GetString());
                hiddenProblem.GetRawText().ShouldNotContain("secret");
            }

            var listed = (await IdentityApi.GetRowsAsync(client, "/api/v1/runs")).Select(r => r.GetProperty("id").GetGuid()).ToList();
            listed.ShouldBe([saved]);
            (await IdentityApi.GetRowsAsync(client, $"/api/v1/runs?requester_id={editor.UserId}")).Select(r => r.GetProperty("id").GetGuid()).ShouldBe([saved]);
            (await IdentityApi.GetOkAsync(client, $"/api/v1/runs/{saved}/results")).GetProperty("data")[0][0].GetInt64().ShouldBe(2);
        }

        // The cache never answers with a run the asker could not read.
        var fresh = await RunsApi.StartAsync(otherEditor, source, sql, new { max_age_seconds = 600 });
        fresh.GetProperty("id").GetGuid().ShouldNotBe(adHoc);
        (await RunsApi.StartAsync(editor, source, sql, new { max_age_seconds = 600 }, HttpStatusCode.OK)).GetProperty("id").GetGuid().ShouldBe(adHoc);

        foreach (var client in new[] { editor.Client, admin.Client })
        {
            (await IdentityApi.GetOkAsync(client, $"/api/v1/runs/{adHoc}")).GetProperty("status").GetString().ShouldBe("succeeded");
            (await IdentityApi.GetOkAsync(client, $"/api/v1/runs/{adHoc}/results")).GetProperty("data")[0][0].GetString()!.Length.ShouldBe(32);
            (await client.GetStringAsync($"/api/v1/runs/{adHoc}/results.csv", TestContext.Current.CancellationToken)).ShouldStartWith("secret");
            (await IdentityApi.GetRowsAsync(client, "/api/v1/runs")).Select(r => r.GetProperty("id").GetGuid()).ShouldContain(adHoc);
        }

        (await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/runs")).Count.ShouldBe(3);
    }

    [Fact]
    public async Task ResultsOfAnUnfinishedRun_AreAConflict_AndPagingIsValidated()
    {
        var (admin, source) = await SetUpAsync();
        var id = (await RunsApi.StartAsync(admin, source, RunsApi.Busy(2_000_000_000))).GetProperty("id").GetGuid();

        using var early = await admin.Client.GetAsync($"/api/v1/runs/{id}/results", TestContext.Current.CancellationToken);
        (await early.ShouldBeProblemAsync(HttpStatusCode.Conflict)).GetProperty("code").GetString().ShouldBe("run.not_finished");
        using var badPage = await admin.Client.GetAsync($"/api/v1/runs/{id}/results?per_page=10001", TestContext.Current.CancellationToken);
        (await badPage.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("per_page", out _).ShouldBeTrue();
        using var cancel = await admin.Client.PostAsync($"/api/v1/runs/{id}/cancel", null, TestContext.Current.CancellationToken);
        cancel.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task EightConcurrentRuns_NeverHaveMoreThanFiveInTheDatabase()
    {
        // A database of this test's own: queries of the class's other tests (a cancelled one still
        // being torn down) would be counted in the shared source database.
        var admin = await api.Identity.RegisterAsync();
        var database = await TestPostgres.CreateEmptyDatabaseAsync();
        try
        {
            await EightConcurrentRunsAsync(admin, await RunsApi.CreateSourceAsync(admin, TestPostgres.AdminConnection, database), database);
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(database);
        }
    }

    private async Task EightConcurrentRunsAsync(Member admin, Guid source, string database)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 8; i++)
        {
            ids.Add((await RunsApi.StartAsync(admin, source, RunsApi.Busy(4_000_000, $"_{i}"))).GetProperty("id").GetGuid());
        }

        var most = 0;
        var done = Task.WhenAll(ids.Select(id => RunsApi.FinishedAsync(admin, id, TimeSpan.FromMinutes(2))));
        while (!done.IsCompleted)
        {

            most = Math.Max(most, await RunsApi.ActiveQueriesAsync(database));
            await Task.Delay(25, TestContext.Current.CancellationToken);
        }

        try
        {
            await done;
        }
        catch (TimeoutException)
        {
            TestContext.Current.TestOutputHelper?.WriteLine(await api.DescribeRunsAsync());
            throw;
        }
        (await done).ShouldAllBe(run => run.GetProperty("status").GetString() == "succeeded");
        most.ShouldBeGreaterThan(0);
        most.ShouldBeLessThanOrEqualTo(5);
    }

    [Fact]
    public async Task Usage_CountsRunsRowsAndStoredBytes()
    {
        var (admin, source) = await SetUpAsync();
        var id = (await RunsApi.StartAsync(admin, source, "select generate_series(1, 300) as n")).GetProperty("id").GetGuid();
        await RunsApi.FinishedAsync(admin, id);

        var usage = await IdentityApi.GetOkAsync(admin.Client, "/api/v1/organization/usage");

        usage.GetProperty("runs_this_month").GetInt32().ShouldBe(1);
        usage.GetProperty("rows_this_month").GetInt64().ShouldBe(300);
        usage.GetProperty("stored_result_bytes").GetInt64().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task SavedQueryRun_BindsTypedParameters_AsDatabaseParameters_AndViewersMayRunIt()
    {
        var (admin, source) = await SetUpAsync();
        var viewer = await api.Identity.AddMemberAsync(admin, "viewer");
        using var created = await admin.Client.PostAsJsonAsync(
            "/api/v1/queries",
            new
            {
                name = "numbers",
                sql = "select g as n, {{ label }} as label from generate_series(1, {{ upto }}) g",
                datasource_id = source,
                parameters = new object[]
                {
                    new { name = "upto", type = "number" },
                    new { name = "label", type = "text" },
                },
            },
            TestContext.Current.CancellationToken);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var queryId = (await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetGuid();
        var secretish = $"'); drop table x; -- {Guid.NewGuid():N}";

        using var start = await viewer.Client.PostAsJsonAsync(
            $"/api/v1/queries/{queryId}/runs", new { parameters = new { upto = 7, label = secretish } }, TestContext.Current.CancellationToken);
        start.StatusCode.ShouldBe(HttpStatusCode.Accepted, await start.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var run = await start.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        run.GetProperty("saved_query_id").GetGuid().ShouldBe(queryId);
        var finished = await RunsApi.FinishedAsync(viewer, run.GetProperty("id").GetGuid());

        finished.GetProperty("status").GetString().ShouldBe("succeeded", finished.ToString());
        finished.GetProperty("row_count").GetInt64().ShouldBe(7);
        var page = await IdentityApi.GetOkAsync(viewer.Client, $"/api/v1/runs/{run.GetProperty("id").GetGuid()}/results");
        page.GetProperty("data")[6][1].GetString().ShouldBe(secretish);
        (await IdentityApi.GetRowsAsync(viewer.Client, $"/api/v1/runs?saved_query_id={queryId}")).ShouldHaveSingleItem();
        api.Factory.Logs.Lines.ShouldAllBe(line => !line.Message.Contains(secretish, StringComparison.Ordinal));

        using var missing = await viewer.Client.PostAsJsonAsync($"/api/v1/queries/{queryId}/runs", new { parameters = new { label = "x" } }, TestContext.Current.CancellationToken);
        (await missing.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetRawText().ShouldContain("upto");
        using var wrongType = await viewer.Client.PostAsJsonAsync(
            $"/api/v1/queries/{queryId}/runs", new { parameters = new { upto = "seven", label = "x" } }, TestContext.Current.CancellationToken);
        (await wrongType.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetRawText().ShouldContain("upto");
        using var unknown = await viewer.Client.PostAsJsonAsync($"/api/v1/queries/{Guid.CreateVersion7()}/runs", new { }, TestContext.Current.CancellationToken);
        await unknown.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    /// <summary>
    /// Reproduces the report: '9999-12-31'::date and '0001-01-01'::timestamptz came back as infinity and
    /// -infinity, and a date parameter of 9999-12-31 was bound as infinity (Npgsql's infinity conversions).
    /// </summary>
    [Theory]
    [InlineData("9999-12-31")]
    [InlineData("0001-01-01")]
    public async Task DatesAtTheEdges_ComeBackAsWritten_FromResults_AndAsBoundParameters(string day)
    {
        var (admin, source) = await SetUpAsync();
        var literal = await RunsApi.StartAsync(
            admin,
            source,
            $"select '{day}'::date as d, '{day} 00:00:00+00'::timestamptz as t, '{day}'::date::text as d_text, 'infinity'::date as inf");
        var literalRun = await RunsApi.FinishedAsync(admin, literal.GetProperty("id").GetGuid());
        literalRun.GetProperty("status").GetString().ShouldBe("succeeded", literalRun.ToString());
        var row = (await IdentityApi.GetOkAsync(admin.Client, $"/api/v1/runs/{literal.GetProperty("id").GetGuid()}/results")).GetProperty("data")[0];
        row[0].GetString().ShouldBe(day);
        row[1].GetString().ShouldBe($"{day}T00:00:00Z");
        row[2].GetString().ShouldBe(day);
        row[3].GetString().ShouldBe("infinity");

        using var created = await admin.Client.PostAsJsonAsync(
            "/api/v1/queries",
            new
            {
                name = $"edge {day}",
                sql = $"select {{{{ day }}}} as d, {{{{ day }}}}::text as d_text, {{{{ day }}}} = '{day}'::date as same",
                datasource_id = source,
                parameters = new object[] { new { name = "day", type = "date" } },
            },
            TestContext.Current.CancellationToken);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var queryId = (await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetGuid();
        using var start = await admin.Client.PostAsJsonAsync($"/api/v1/queries/{queryId}/runs", new { parameters = new { day } }, TestContext.Current.CancellationToken);
        start.StatusCode.ShouldBe(HttpStatusCode.Accepted, await start.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var bound = (await start.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetGuid();
        (await RunsApi.FinishedAsync(admin, bound)).GetProperty("status").GetString().ShouldBe("succeeded");
        var boundRow = (await IdentityApi.GetOkAsync(admin.Client, $"/api/v1/runs/{bound}/results")).GetProperty("data")[0];
        boundRow[0].GetString().ShouldBe(day);
        boundRow[1].GetString().ShouldBe(day);
        boundRow[2].GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public void EveryHost_TurnsOffNpgsqlsInfinityConversions()
    {
        AppContext.TryGetSwitch("Npgsql.DisableDateTimeInfinityConversions", out var off).ShouldBeTrue();
        off.ShouldBeTrue();
        var root = Repository.Root;
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        foreach (var host in new[] { "Loupe.Api", "Loupe.Worker" })
        {
            var runtimeConfig = File.ReadAllText(Path.Combine(root, "src", host, "bin", configuration, "net10.0", $"{host}.runtimeconfig.json"));
            runtimeConfig.ShouldContain("\"Npgsql.DisableDateTimeInfinityConversions\": true", Case.Sensitive, host);
        }
    }

    [Fact]
    public async Task SlowRuns_AreLogged_WithoutTheirSql()
    {
        var (admin, source) = await SetUpAsync();
        var marker = $"slow_{Guid.NewGuid():N}";
        var id = (await RunsApi.StartAsync(admin, source, RunsApi.Busy(12_000_000, marker))).GetProperty("id").GetGuid();
        (await RunsApi.FinishedAsync(admin, id)).GetProperty("status").GetString().ShouldBe("succeeded");

        await Eventually.HoldsAsync(
            () => api.Factory.Logs.Lines.Any(line => line.Message.Contains($"Slow run {id}", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(5),
            $"the slow run {id} is logged",
            TimeSpan.FromMilliseconds(25));

        api.Factory.Logs.Lines.ShouldContain(line => line.Message.Contains($"Slow run {id}", StringComparison.Ordinal));
        api.Factory.Logs.Lines.ShouldAllBe(line => !line.Message.Contains(marker, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retention_RemovesExpiredResults_ButKeepsEachSavedQuerysLatest_AndOrphanedAttempts()
    {
        var (admin, source) = await SetUpAsync();
        var adHoc = (await RunsApi.StartAsync(admin, source, "select 1 as one")).GetProperty("id").GetGuid();
        await RunsApi.FinishedAsync(admin, adHoc);
        using var created = await admin.Client.PostAsJsonAsync(
            "/api/v1/queries", new { name = "kept", sql = "select 2 as two", datasource_id = source }, TestContext.Current.CancellationToken);
        var queryId = (await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetGuid();
        var older = await RunSavedAsync(admin, queryId);
        var latest = await RunSavedAsync(admin, queryId);
        await api.ExecuteOwnerAsync(
            $"UPDATE query_runs SET result_expires_at = now() - interval '1 minute' WHERE id IN ('{adHoc}', '{older}', '{latest}');" +
            $"INSERT INTO run_result_chunks (run_id, attempt, chunk_number, organization_id, first_row, row_count, data) " +
            $"SELECT id, 9, 0, organization_id, 0, 1, '\\x00' FROM query_runs WHERE id = '{latest}'");

        var retention = api.Factory.Services.GetRequiredService<Loupe.Infrastructure.Runs.ResultRetention>();
        var outcome = await retention.SweepAsync(DateTimeOffset.UtcNow, TestContext.Current.CancellationToken);

        // The sweep covers the whole database, which holds this test's rows only (ADR 0036).
        outcome.ExpiredResults.ShouldBe(2);
        outcome.OrphanedChunks.ShouldBe(1);
        foreach (var expired in new[] { adHoc, older })
        {
            (await IdentityApi.GetOkAsync(admin.Client, $"/api/v1/runs/{expired}")).GetProperty("has_result").GetBoolean().ShouldBeFalse();
            using var gone = await admin.Client.GetAsync($"/api/v1/runs/{expired}/results", TestContext.Current.CancellationToken);
            var problem = await gone.ShouldBeProblemAsync(HttpStatusCode.Gone);
            problem.GetProperty("code").GetString().ShouldBe("run.result_expired");
            problem.GetProperty("detail").GetString()!.ShouldContain("expired");
        }

        (await IdentityApi.GetOkAsync(admin.Client, $"/api/v1/runs/{latest}/results")).GetProperty("data")[0][0].GetInt64().ShouldBe(2);
    }

    private static async Task<Guid> RunSavedAsync(Member member, Guid queryId)
    {
        using var start = await member.Client.PostAsJsonAsync($"/api/v1/queries/{queryId}/runs", new { }, TestContext.Current.CancellationToken);
        start.StatusCode.ShouldBe(HttpStatusCode.Accepted, await start.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var id = (await start.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetGuid();
        (await RunsApi.FinishedAsync(member, id)).GetProperty("status").GetString().ShouldBe("succeeded");
        return id;
    }

    private static async Task<Guid> SaveQueryAsync(Member member, Guid source, string sql)
    {
        using var created = await member.Client.PostAsJsonAsync(
            "/api/v1/queries", new { name = $"saved {Guid.NewGuid():N}", sql, datasource_id = source }, TestContext.Current.CancellationToken);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return (await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetGuid();
    }

    private async Task<(Member Admin, Guid Source)> SetUpAsync()
    {
        var admin = await api.Identity.RegisterAsync();
        var source = await api.CreateSourceAsync(admin);
        return (admin, source);
    }
}
