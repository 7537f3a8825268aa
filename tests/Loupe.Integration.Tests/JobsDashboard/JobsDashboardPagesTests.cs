using System.Net;
using System.Text.RegularExpressions;
using Loupe.Integration.Tests.Identity.Auth;
using Loupe.Integration.Tests.Jobs;
using Loupe.Integration.Tests.Support;
using Npgsql;

namespace Loupe.Integration.Tests.JobsDashboard;

/// <summary>
/// The dashboard's list, job and action pages over HTTP: only an instance admin finds them; every action
/// needs the form's anti-forgery token, sends the REST endpoint's command (audited alike) and shows a
/// refusal with the error's code and status; a bad filter answers a page that says so; no page shows a
/// payload's secret. Job rows are written directly (no engine runs in this host).
/// </summary>
public sealed partial class JobsDashboardPagesTests(AuthHost host) : ResetBeforeEachTest(host), IClassFixture<AuthHost>
{
    private const string Canary = "canary-pages-5ecr3t-91d2";

    private static readonly string[] Actions = ["retry", "cancel"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryoneButAnInstanceAdmin_GetsTheNotFoundOfAnUnknownAddress_OnEveryPageAndAction_AndNothingChanges()
    {
        var admin = await host.Identity.RegisterAsync();
        var orgAdmin = await host.Identity.RegisterAsync();
        var failed = await JobRows.InsertAsync(host.DatabaseName, "test.kind", "failed", orgAdmin.OrganizationId, finishedAt: "now()");
        var queued = await JobRows.InsertAsync(host.DatabaseName, "test.kind", "queued", orgAdmin.OrganizationId);
        using var unknown = await host.Anonymous.GetAsync(new Uri("/jobs/no-such-page", UriKind.Relative), Ct);
        var expected = await unknown.Content.ReadAsStringAsync(Ct);

        // Signed-in admins' forms carry a real token; others may send it too and are still not told anything.
        using var adminClient = Client(admin.AccessToken);
        var token = await TokenAsync(adminClient, $"/jobs/{failed}");
        (HttpMethod Method, string Path)[] calls =
        [
            (HttpMethod.Get, "/jobs/list"),
            (HttpMethod.Get, "/jobs/list?state=failed"),
            (HttpMethod.Get, "/jobs/list?state=nonsense"),
            (HttpMethod.Get, $"/jobs/{failed}"),
            (HttpMethod.Get, $"/jobs/{Guid.CreateVersion7()}"),
            (HttpMethod.Post, $"/jobs/{failed}/retry"),
            (HttpMethod.Post, $"/jobs/{queued}/cancel"),
            (HttpMethod.Post, $"/jobs/{failed}/delete"),
            (HttpMethod.Post, "/jobs/list/retry"),
        ];
        using var anonymous = Client(accessToken: null);
        using var member = Client(orgAdmin.AccessToken);
        foreach (var client in new[] { anonymous, member })
        {
            foreach (var (method, path) in calls)
            {
                using var request = new HttpRequestMessage(method, path) { Content = method == HttpMethod.Post ? Form(token, ("id", failed.ToString())) : null };
                using var response = await client.SendAsync(request, Ct);
                response.StatusCode.ShouldBe(HttpStatusCode.NotFound, $"{method} {path}");
                Comparable(await response.Content.ReadAsStringAsync(Ct)).ShouldBe(Comparable(expected), $"{method} {path}");
            }
        }

        (await StateAsync(failed)).ShouldBe("failed");
        (await StateAsync(queued)).ShouldBe("queued");
        (await ScalarAsync("SELECT count(*) FROM audit_events WHERE action LIKE 'job.%'")).ShouldBe(0);
    }

    [Fact]
    public async Task AnAction_WithoutOrWithAForgedAntiforgeryToken_IsRefusedWith400_AndChangesNothing()
    {
        var admin = await host.Identity.RegisterAsync();
        var failed = await JobRows.InsertAsync(host.DatabaseName, "test.kind", "failed", null, finishedAt: "now()");
        using var client = Client(admin.AccessToken);
        await TokenAsync(client, $"/jobs/{failed}");

        foreach (var path in new[] { $"/jobs/{failed}/retry", $"/jobs/{failed}/delete", "/jobs/list/retry" })
        {
            foreach (var token in new[] { null, "CfDJ8forged" })
            {
                using var response = await client.PostAsync(path, Form(token, ("id", failed.ToString())), Ct);
                response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, $"{path} with token {token ?? "none"}");
                response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
                (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("Nothing was changed");
            }
        }

        // A token of another browser (its own cookie half missing) is no better.
        using var other = Client(admin.AccessToken);
        using (var stolen = await other.PostAsync($"/jobs/{failed}/retry", Form(await TokenAsync(client, $"/jobs/{failed}"), ("id", failed.ToString())), Ct))
        {
            stolen.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }

        (await StateAsync(failed)).ShouldBe("failed");
        (await ScalarAsync("SELECT count(*) FROM audit_events WHERE action LIKE 'job.%'")).ShouldBe(0);
    }

    [Fact]
    public async Task TheJobPagesActions_SendTheRestCommands_AuditedWithTheAdmin_AndARefusalShowsItsCodeWithTheRestStatus()
    {
        var admin = await host.Identity.RegisterAsync();
        var other = await host.Identity.RegisterAsync();
        var failed = await JobRows.InsertAsync(host.DatabaseName, "test.kind", "dead_lettered", other.OrganizationId, attempt: 3, finishedAt: "now()", error: "boom\nat somewhere");
        var queued = await JobRows.InsertAsync(host.DatabaseName, "test.kind", "queued", other.OrganizationId);
        var running = await JobRows.InsertAsync(host.DatabaseName, "test.kind", "running", null);
        var finished = await JobRows.InsertAsync(host.DatabaseName, "test.kind", "succeeded", null, finishedAt: "now()");
        using var client = Client(admin.AccessToken);

        var detail = await PageAsync(client, $"/jobs/{failed}");
        detail.ShouldContain("id=\"job-error\">boom");
        detail.ShouldContain("at somewhere</pre>");
        detail.ShouldContain("action=\"/jobs/" + failed + "/retry\"");
        detail.ShouldNotContain("action=\"/jobs/" + failed + "/cancel\"");

        var token = await TokenAsync(client, $"/jobs/{failed}");
        using (var retried = await client.PostAsync($"/jobs/{failed}/retry", Form(token), Ct))
        {
            retried.StatusCode.ShouldBe(HttpStatusCode.Redirect);
            retried.Headers.Location!.ToString().ShouldBe($"/jobs/{failed}");
        }

        (await StateAsync(failed)).ShouldBe("queued");
        (await ScalarAsync($"SELECT count(*) FROM audit_events WHERE action = 'job.retried' AND target_id = '{failed}' AND actor_user_id = '{admin.UserId}'")).ShouldBe(1);

        // Refused as the REST endpoint refuses it: 409 and the error's code, on the job's page.
        using (var refused = await client.PostAsync($"/jobs/{queued}/retry", Form(token), Ct))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
            var page = await refused.Content.ReadAsStringAsync(Ct);
            page.ShouldContain("job.not_retryable");
            page.ShouldContain("Only a failed, dead-lettered or cancelled job can be retried.");
            page.ShouldContain("id=\"job-status\"");
        }

        using (var cancelled = await client.PostAsync($"/jobs/{running}/cancel", Form(token), Ct))
        {
            cancelled.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        }

        (await ScalarAsync($"SELECT count(*) FROM jobs WHERE id = '{running}' AND cancel_requested_at IS NOT NULL")).ShouldBe(1);
        (await PageAsync(client, $"/jobs/{running}")).ShouldContain("Cancel requested");

        using (var notFinished = await client.PostAsync($"/jobs/{running}/delete", Form(token), Ct))
        {
            notFinished.StatusCode.ShouldBe(HttpStatusCode.Conflict);
            (await notFinished.Content.ReadAsStringAsync(Ct)).ShouldContain("job.not_finished");
        }

        using (var deleted = await client.PostAsync($"/jobs/{finished}/delete", Form(token), Ct))
        {
            deleted.StatusCode.ShouldBe(HttpStatusCode.Redirect);
            deleted.Headers.Location!.ToString().ShouldBe("/jobs/list");
        }

        (await ScalarAsync($"SELECT count(*) FROM jobs WHERE id = '{finished}'")).ShouldBe(0);
        using (var gone = await client.GetAsync($"/jobs/{finished}", Ct))
        {
            gone.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            gone.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
            (await gone.Content.ReadAsStringAsync(Ct)).ShouldContain("There is no job");
        }

        using (var goneAgain = await client.PostAsync($"/jobs/{finished}/delete", Form(token), Ct))
        {
            goneAgain.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }

        (await ScalarAsync($"SELECT count(*) FROM audit_events WHERE action IN ('job.cancelled', 'job.deleted') AND actor_user_id = '{admin.UserId}'")).ShouldBe(2);
    }

    [Fact]
    public async Task RetrySelected_RetriesEachSelectedJob_AndSaysWhatHappenedToEach()
    {
        var admin = await host.Identity.RegisterAsync();
        var failed = await JobRows.InsertAsync(host.DatabaseName, "test.kind", "failed", null, finishedAt: "now()");
        var cancelled = await JobRows.InsertAsync(host.DatabaseName, "test.kind", "cancelled", null, finishedAt: "now()");
        var queued = await JobRows.InsertAsync(host.DatabaseName, "test.kind", "queued", null);
        using var client = Client(admin.AccessToken);

        var list = await PageAsync(client, "/jobs/list?state=failed");
        list.ShouldContain("value=\"" + failed + "\"");
        list.ShouldContain("Retry selected");
        (await PageAsync(client, "/jobs/list?state=succeeded")).ShouldNotContain("Retry selected");

        var token = await TokenAsync(client, "/jobs/list?state=failed");
        using var response = await client.PostAsync("/jobs/list/retry", Form(token, ("id", failed.ToString()), ("id", cancelled.ToString()), ("id", queued.ToString())), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = await response.Content.ReadAsStringAsync(Ct);
        page.ShouldContain("2 of 3 retried.");
        page.ShouldContain("job.not_retryable");
        (await StateAsync(failed)).ShouldBe("queued");
        (await StateAsync(cancelled)).ShouldBe("queued");
        (await ScalarAsync($"SELECT count(*) FROM audit_events WHERE action = 'job.retried' AND actor_user_id = '{admin.UserId}'")).ShouldBe(2);

        using var none = await client.PostAsync("/jobs/list/retry", Form(token), Ct);
        none.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await none.Content.ReadAsStringAsync(Ct)).ShouldContain("Select at least one job to retry.");
    }

    [Theory]
    [InlineData("state=finished", "State: one of")]
    [InlineData("organization_id=acme", "Organization: an organization")]
    [InlineData("from=yesterday", "From and to:")]
    [InlineData("from=2026-05-02T00:00&to=2026-05-01T00:00", "To: after from.")]
    [InlineData("cursor=abc", "Cursor:")]
    [InlineData("queue=Reports", "Queue: a queue")]
    public async Task ABadFilter_AnswersThePageWithAClearMessage_And400(string query, string message)
    {
        var admin = await host.Identity.RegisterAsync();
        using var client = Client(admin.AccessToken);

        using var response = await client.GetAsync($"/jobs/list?{query}", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        var page = await response.Content.ReadAsStringAsync(Ct);
        page.ShouldContain("role=\"alert\"");
        page.ShouldContain(message);
        page.ShouldContain("<form class=\"filter\"");
    }

    [Fact]
    public async Task TheList_ShowsAStatesColumns_FiltersByKindOrganizationAndTime_AndPagesOlderWithItsCursor()
    {
        var admin = await host.Identity.RegisterAsync();
        var other = await host.Identity.RegisterAsync();
        await InsertManyAsync(55, "test.many", "failed", other.OrganizationId, error: "many failed");
        var running = await JobRows.InsertAsync(host.DatabaseName, "test.run", "running", admin.OrganizationId);
        var retrying = await JobRows.InsertAsync(host.DatabaseName, "test.retry", "queued", admin.OrganizationId, runAt: "now() + interval '5 minutes'", attempt: 1);
        using var client = Client(admin.AccessToken);

        var first = await PageAsync(client, "/jobs/list?state=failed");
        Rows(first).ShouldBe(50);
        first.ShouldContain("many failed");
        first.ShouldContain("data-state=\"failed\">Failed <span class=\"count\">55</span>");
        var older = OlderRegex().Match(first);
        older.Success.ShouldBeTrue();
        var second = await PageAsync(client, WebUtility.HtmlDecode(older.Groups[1].Value));
        Rows(second).ShouldBe(5);
        OlderRegex().IsMatch(second).ShouldBeFalse();

        var runningPage = await PageAsync(client, "/jobs/list?state=running");
        runningPage.ShouldContain("<th>Node</th><th>Started</th><th>Lease expires</th><th>Heartbeat</th>");
        runningPage.ShouldContain("node-x");
        runningPage.ShouldContain($"/jobs/{running}");
        (await PageAsync(client, "/jobs/list?state=retrying")).ShouldContain("<th>Runs at</th>");
        (await PageAsync(client, $"/jobs/list?state=retrying&organization_id={admin.OrganizationId}")).ShouldContain($"/jobs/{retrying}");
        Rows(await PageAsync(client, $"/jobs/list?organization_id={admin.OrganizationId}")).ShouldBe(2);
        Rows(await PageAsync(client, "/jobs/list?kind=test.run")).ShouldBe(1);
        var future = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture));
        Rows(await PageAsync(client, $"/jobs/list?from={future}")).ShouldBe(0);
        Rows(await PageAsync(client, $"/jobs/list?to={future}")).ShouldBe(50);
    }

    [Fact]
    public async Task ACanarySecretInAPayload_AppearsOnNoPage()
    {
        var admin = await host.Identity.RegisterAsync();
        var other = await host.Identity.RegisterAsync();
        var payloads = new[]
        {
            ("webhook.deliver", $$"""{"DeliveryId":"{{Guid.CreateVersion7()}}","Attempt":2,"Secret":"{{Canary}}","Sql":"select '{{Canary}}'"}"""),
            ("query.run", $$$"""{"RunId":"{{{Canary}}}","Parameters":{"p":"{{{Canary}}}"}}"""),
            ("some.future_kind", $$"""{"Token":"{{Canary}}"}"""),
        };
        var ids = new List<Guid>();
        foreach (var state in new[] { "queued", "running", "succeeded", "failed", "dead_lettered", "cancelled" })
        {
            foreach (var (kind, payload) in payloads)
            {
                ids.Add(await JobRows.InsertAsync(host.DatabaseName, kind, state, other.OrganizationId, payload: payload, finishedAt: state is "queued" or "running" ? null : "now()"));
            }
        }

        using var client = Client(admin.AccessToken);
        var paths = new List<string> { "/jobs", "/jobs/overview.json", "/jobs/list", "/jobs/list?kind=query.run" };
        paths.AddRange(Application.AdminJobs.AdminJobStatuses.Names.Select(s => $"/jobs/list?state={s}"));
        paths.AddRange(ids.Select(id => $"/jobs/{id}"));
        var answers = new List<string>();
        foreach (var path in paths)
        {
            answers.Add(await PageAsync(client, path));
        }

        var token = await TokenAsync(client, "/jobs/list?state=failed");
        foreach (var id in ids)
        {
            foreach (var action in Actions)
            {
                using var response = await client.PostAsync($"/jobs/{id}/{action}", Form(token), Ct);
                answers.Add(await response.Content.ReadAsStringAsync(Ct));
            }
        }

        using (var selection = await client.PostAsync("/jobs/list/retry", Form(token, [.. ids.Select(id => ("id", id.ToString()))]), Ct))
        {
            answers.Add(await selection.Content.ReadAsStringAsync(Ct));
        }

        answers.Count.ShouldBe(paths.Count + (ids.Count * 2) + 1);
        answers.ShouldAllBe(answer => !answer.Contains(Canary, StringComparison.Ordinal));
        answers[paths.IndexOf($"/jobs/{ids[0]}")].ShouldContain("delivery_id");
    }

    [Fact]
    public async Task TheOverview_ShowsTheQueuesHistoryRunningJobsAndLatestFailures_EachFailureLinkingToItsJob()
    {
        var admin = await host.Identity.RegisterAsync();
        var waiting = await JobRows.InsertAsync(host.DatabaseName, "test.wait", "queued", null, runAt: "now() - interval '5 minutes'", queue: "reports", priority: 2);
        var running = await JobRows.InsertAsync(host.DatabaseName, "test.run", "running", null);
        var failed = await JobRows.InsertAsync(host.DatabaseName, "test.fail", "failed", null, finishedAt: "now()", error: "it broke");
        await JobRows.InsertAsync(host.DatabaseName, "test.ok", "succeeded", null, finishedAt: "now() - interval '2 hours'");
        using var client = Client(admin.AccessToken);

        var page = await PageAsync(client, "/jobs");

        page.ShouldContain("<svg id=\"realtime\"");
        page.ShouldContain("<svg id=\"history-24h\"");
        page.ShouldContain("<svg id=\"history-7d\"");
        page.ShouldContain("Finished jobs per hour: 1 succeeded, 1 failed");
        page.ShouldContain("<a href=\"/jobs/list?state=queued&amp;queue=reports\">reports</a></td><td>maintenance</td><td>1</td>");
        var queued = await PageAsync(client, "/jobs/list?state=queued&queue=reports");
        Rows(queued).ShouldBe(1);
        queued.ShouldContain($"/jobs/{waiting}");
        queued.ShouldContain("name=\"queue\" maxlength=\"64\" value=\"reports\"");
        Rows(await PageAsync(client, "/jobs/list?state=queued&queue=default")).ShouldBe(0);
        page.ShouldContain("The oldest due job has waited ");
        page.ShouldContain($"<a href=\"/jobs/{running}\">test.run</a>");
        page.ShouldContain($"<a href=\"/jobs/{failed}\">test.fail</a>");
        page.ShouldContain("it broke");
    }

    [Fact]
    public async Task TheQueuesPage_ListsAQueueHoldingOnlyRetries_WithWhenTheNextFallsDue_AndItsNameOpensItsList()
    {
        var admin = await host.Identity.RegisterAsync();
        await JobRows.InsertAsync(host.DatabaseName, "test.retry", "queued", null, runAt: "now() + interval '10 minutes'", attempt: 1, queue: "nightly");
        using var client = Client(admin.AccessToken);

        var page = await PageAsync(client, "/jobs/queues");

        page.ShouldContain("<tr data-queue=\"nightly\"><td><a href=\"/jobs/list?state=queued&amp;queue=nightly\">nightly</a></td>");
        page.ShouldContain("<td data-not-due>1, the next due <time datetime=");
        page.ShouldContain("<span class=\"empty\">no live node</span>");
    }

    private HttpClient Client(string? accessToken) => DashboardHttp.Client(host.Anonymous.BaseAddress!, accessToken);

    private static Task<string> TokenAsync(HttpClient client, string path) => DashboardHttp.TokenAsync(client, path);

    private static Task<string> PageAsync(HttpClient client, string path) => DashboardHttp.PageAsync(client, path);

    private static FormUrlEncodedContent Form(string? token, params (string Name, string Value)[] fields)
    {
        var values = fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).ToList();
        if (token is not null)
        {
            values.Add(new KeyValuePair<string, string>("__antiforgery", token));
        }

        return new FormUrlEncodedContent(values);
    }

    private static int Rows(string page) => JobRowRegex().Count(page);

    /// <summary>A 404 without what differs from one request to the next (instance, ids).</summary>
    private static string Comparable(string problem) =>
        string.Join("|", System.Text.Json.JsonDocument.Parse(problem).RootElement.EnumerateObject()
            .Where(p => p.Name is not ("instance" or "error_id" or "trace_id")).Select(p => $"{p.Name}={p.Value}"));

    private Task InsertManyAsync(int count, string kind, string state, Guid? organizationId, string error) =>
        JobRows.InsertManyAsync(host.DatabaseName, [.. Enumerable.Range(0, count).Select(_ => Guid.CreateVersion7())], kind, state, organizationId, "{}", "now()", 1, "now()", error, "default", 0);

    private async Task<string> StateAsync(Guid id) => (string)(await OwnerScalarAsync($"SELECT state FROM jobs WHERE id = '{id}'"))!;

    private async Task<long> ScalarAsync(string sql) => Convert.ToInt64(await OwnerScalarAsync(sql), System.Globalization.CultureInfo.InvariantCulture);

    private async Task<object?> OwnerScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(TestPostgres.OwnerConnection(host.DatabaseName));
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(Ct);
    }


    [GeneratedRegex("<a id=\"older\" rel=\"next\" href=\"([^\"]+)\">")]
    private static partial Regex OlderRegex();

    [GeneratedRegex("<tr><td>(<input type=\"checkbox\"[^>]*></td><td>)?<a href=\"/jobs/[0-9a-f-]{36}\">")]
    private static partial Regex JobRowRegex();
}
