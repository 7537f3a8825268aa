using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Loupe.Integration.Tests.Identity.Auth;
using Loupe.Integration.Tests.Jobs;
using Loupe.Integration.Tests.Support;
using Npgsql;

namespace Loupe.Integration.Tests.AdminJobs;

/// <summary>
/// /api/v1/admin/jobs: instance admins see and act on every organization's jobs; anyone else is
/// answered as at an address where nothing exists. Job rows are written directly (no engine runs in
/// this host), so each test knows exactly what the endpoints must answer.
/// </summary>
public sealed class AdminJobsApiTests(AuthHost host) : ResetBeforeEachTest(host), IClassFixture<AuthHost>
{
    private const string Url = "/api/v1/admin/jobs";
    private const string Canary = "canary-s3cr3t-7f1e";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryoneButAnInstanceAdmin_GetsTheAnswerOfAnUnknownAddress()
    {
        var admin = await host.Identity.RegisterAsync();
        var orgAdmin = await host.Identity.RegisterAsync();
        var viewer = await host.Identity.AddMemberAsync(orgAdmin, "viewer");
        var job = await JobRows.InsertAsync(host.DatabaseName, "test.kind", "failed", orgAdmin.OrganizationId);
        using var unknown = await host.Anonymous.GetAsync("/api/v1/admin/nothing-here", Ct);
        var expected = Comparable(await unknown.ShouldBeProblemAsync(HttpStatusCode.NotFound));

        // Text that cannot be stored changes nothing either: an unknown address is not told apart by a 400.
        using var unknownWithBadText = await host.Anonymous.GetAsync("/api/v1/admin/nothing-here?kind=%00", Ct);
        Comparable(await unknownWithBadText.ShouldBeProblemAsync(HttpStatusCode.NotFound)).ShouldBe(expected);

        (HttpMethod Method, string Path, string? Body)[] calls =
        [
            (HttpMethod.Get, $"{Url}/overview", null),
            (HttpMethod.Get, $"{Url}?state=failed", null),
            (HttpMethod.Get, $"{Url}?no_such_parameter=1", null),
            (HttpMethod.Get, $"{Url}?kind=%00", null),
            (HttpMethod.Post, $"{Url}/retry", "{\"ids\":[\"\\u0000\"]}"),
            (HttpMethod.Get, $"{Url}/{job}", null),
            (HttpMethod.Post, $"{Url}/{job}/retry", null),
            (HttpMethod.Post, $"{Url}/retry", "not json"),
            (HttpMethod.Post, $"{Url}/{job}/cancel", null),
            (HttpMethod.Delete, $"{Url}/{job}", null),
            (HttpMethod.Get, $"{Url}/servers", null),
            (HttpMethod.Get, $"{Url}/queues", null),
            (HttpMethod.Post, $"{Url}/queues/default/pause", null),
            (HttpMethod.Post, $"{Url}/queues/default/resume", null),
        ];
        foreach (var client in new[] { host.Anonymous, orgAdmin.Client, viewer.Client })
        {
            foreach (var (method, path, body) in calls)
            {
                using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
                using var response = await client.SendAsync(request, Ct);
                Comparable(await response.ShouldBeProblemAsync(HttpStatusCode.NotFound)).ShouldBe(expected, $"{method} {path}");
            }
        }

        (await StateAsync(job)).ShouldBe("failed/0");
        (await ScalarAsync("SELECT count(*) FROM job_queue_pauses")).ShouldBe(0);
        using var allowed = await admin.Client.GetAsync($"{Url}/{job}", Ct);
        allowed.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Overview_CountsEveryStatus_QueueDepths_AndFinishedJobsPerSecondHourAndDay()
    {
        var admin = await host.Identity.RegisterAsync();
        var other = await host.Identity.RegisterAsync();
        await JobRows.InsertAsync(host.DatabaseName, "test.a", "queued", admin.OrganizationId, runAt: "now() - interval '90 seconds'");
        await JobRows.InsertAsync(host.DatabaseName, "test.a", "queued", other.OrganizationId, queue: "reports", priority: 1);
        await JobRows.InsertAsync(host.DatabaseName, "test.a", "queued", other.OrganizationId, runAt: "now() + interval '1 hour'");
        await JobRows.InsertAsync(host.DatabaseName, "test.a", "queued", other.OrganizationId, runAt: "now() + interval '1 hour'", attempt: 1);
        var running = await JobRows.InsertAsync(host.DatabaseName, "test.b", "running", null);
        await JobRows.InsertAsync(host.DatabaseName, "test.b", "succeeded", null, finishedAt: "now()");
        await JobRows.InsertAsync(host.DatabaseName, "test.b", "succeeded", null, finishedAt: "now() - interval '3 hours'");
        var failed = await JobRows.InsertAsync(host.DatabaseName, "test.b", "failed", other.OrganizationId, finishedAt: "now()", error: "boom");
        var deadLettered = await JobRows.InsertAsync(host.DatabaseName, "test.b", "dead_lettered", other.OrganizationId, finishedAt: "now() - interval '2 days'");
        await JobRows.InsertAsync(host.DatabaseName, "test.b", "cancelled", null, finishedAt: "now()");

        var overview = await GetJsonAsync(admin, $"{Url}/overview");

        var counts = overview.GetProperty("counts");
        (string Status, long Jobs)[] expected =
            [("queued", 2), ("scheduled", 1), ("retrying", 1), ("running", 1), ("succeeded", 2), ("failed", 1), ("dead_lettered", 1), ("cancelled", 1)];
        foreach (var (status, jobs) in expected)
        {
            counts.GetProperty(status).GetInt64().ShouldBe(jobs, status);
        }

        overview.GetProperty("queues").EnumerateArray().Select(q => (q.GetProperty("queue").GetString(), q.GetProperty("depth").GetInt64()))
            .ShouldBe([("default", 1L), ("reports", 1L)], ignoreOrder: true);
        overview.GetProperty("oldest_queued_age_seconds").GetDouble().ShouldBeGreaterThanOrEqualTo(89);
        var minute = overview.GetProperty("last_minute").EnumerateArray().ToList();
        minute.Count.ShouldBe(60);
        minute.Sum(b => b.GetProperty("succeeded").GetInt64()).ShouldBe(1);
        minute.Sum(b => b.GetProperty("failed").GetInt64()).ShouldBe(1);
        var hours = overview.GetProperty("last24_hours").EnumerateArray().ToList();
        hours.Count.ShouldBe(24);
        hours.Sum(b => b.GetProperty("succeeded").GetInt64()).ShouldBe(2);
        var days = overview.GetProperty("last7_days").EnumerateArray().ToList();
        days.Count.ShouldBe(7);
        days.Sum(b => b.GetProperty("failed").GetInt64()).ShouldBe(2);

        var held = overview.GetProperty("running").EnumerateArray().ShouldHaveSingleItem();
        held.GetProperty("id").GetGuid().ShouldBe(running);
        held.GetProperty("node").GetString().ShouldBe("node-x");
        held.GetProperty("lease_expires_at").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow);
        held.GetProperty("heartbeat_age_seconds").GetDouble().ShouldBeInRange(0, 60);
        var failures = overview.GetProperty("latest_failures").EnumerateArray().ToList();
        failures.Select(f => f.GetProperty("id").GetGuid()).ShouldBe([failed, deadLettered]);
        failures[0].GetProperty("error").GetString().ShouldBe("boom");
        failures[0].GetProperty("status").GetString().ShouldBe("failed");
    }

    [Fact]
    public async Task List_PagesNewestFirstWithACursor_FiltersByStateKindOrganizationTimeAndQueue_AndShowsTheLeaseOfRunningJobs()
    {
        var admin = await host.Identity.RegisterAsync();
        var other = await host.Identity.RegisterAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await JobRows.InsertAsync(host.DatabaseName, "test.list", "succeeded", other.OrganizationId, finishedAt: "now()"));
        }

        // Newest first is id order (UUIDv7), as PostgreSQL compares uuids: byte by byte, which is the
        // ordinal order of their text. Ids made in the same millisecond are ordered by their random
        // bits, not by when they were made, so the expectations follow the ids' own order.
        ids = [.. ids.OrderBy(id => id.ToString(), StringComparer.Ordinal)];
        var running = await JobRows.InsertAsync(host.DatabaseName, "test.run", "running", admin.OrganizationId);
        var retrying = await JobRows.InsertAsync(host.DatabaseName, "test.list", "queued", admin.OrganizationId, runAt: "now() + interval '5 minutes'", attempt: 1);
        Guid[] ownNewestFirst = [.. new[] { running, retrying }.OrderByDescending(id => id.ToString(), StringComparer.Ordinal)];

        var first = await GetJsonAsync(admin, $"{Url}?kind=test.list&state=succeeded&limit=2");
        var second = await GetJsonAsync(admin, $"{Url}?kind=test.list&state=succeeded&limit=2&cursor={first.GetProperty("next_cursor").GetString()}");
        var third = await GetJsonAsync(admin, $"{Url}?kind=test.list&state=succeeded&limit=2&cursor={second.GetProperty("next_cursor").GetString()}");
        Ids(first).ShouldBe([ids[4], ids[3]]);
        Ids(second).ShouldBe([ids[2], ids[1]]);
        Ids(third).ShouldBe([ids[0]]);
        third.GetProperty("next_cursor").ValueKind.ShouldBe(JsonValueKind.Null);

        Ids(await GetJsonAsync(admin, $"{Url}?organization_id={admin.OrganizationId}")).ShouldBe(ownNewestFirst);
        Ids(await GetJsonAsync(admin, $"{Url}?state=retrying,running")).ShouldBe(ownNewestFirst);
        Ids(await GetJsonAsync(admin, $"{Url}?state=scheduled")).ShouldBeEmpty();
        Ids(await GetJsonAsync(admin, $"{Url}?from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))}")).ShouldBeEmpty();
        Ids(await GetJsonAsync(admin, $"{Url}?to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"))}")).ShouldBeEmpty();
        Ids(await GetJsonAsync(admin, $"{Url}?kind=test.list&from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"))}")).Count.ShouldBe(6);

        var reports = await JobRows.InsertAsync(host.DatabaseName, "test.list", "queued", other.OrganizationId, runAt: "now() + interval '1 hour'", queue: "reports");
        Ids(await GetJsonAsync(admin, $"{Url}?queue=reports")).ShouldBe([reports]);
        Ids(await GetJsonAsync(admin, $"{Url}?queue=reports&state=scheduled")).ShouldBe([reports]);
        Ids(await GetJsonAsync(admin, $"{Url}?queue=reports&state=succeeded")).ShouldBeEmpty();
        Ids(await GetJsonAsync(admin, $"{Url}?queue=nothing-here")).ShouldBeEmpty();

        var all = await GetJsonAsync(admin, Url);
        var held = all.GetProperty("data").EnumerateArray().Single(j => j.GetProperty("id").GetGuid() == running);
        held.GetProperty("status").GetString().ShouldBe("running");
        held.GetProperty("node").GetString().ShouldBe("node-x");
        held.GetProperty("lease_expires_at").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow);
        held.GetProperty("heartbeat_age_seconds").GetDouble().ShouldBeInRange(0, 60);
        var waiting = all.GetProperty("data").EnumerateArray().Single(j => j.GetProperty("id").GetGuid() == retrying);
        waiting.GetProperty("status").GetString().ShouldBe("retrying");
        waiting.GetProperty("run_at").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(4));
        waiting.GetProperty("node").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Theory]
    [InlineData("state=finished", "state")]
    [InlineData("cursor=abc", "cursor")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("queue=Not%20a%20queue", "queue")]
    public async Task List_RefusesABadFilter_AtItsParameter(string query, string field)
    {
        var admin = await host.Identity.RegisterAsync();

        using var response = await admin.Client.GetAsync($"{Url}?{query}", Ct);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldContain(field);
    }

    [Fact]
    public async Task Detail_ShowsOnlyAllowListedPayloadFields_AndNoEndpointEverAnswersTheCanary()
    {
        var admin = await host.Identity.RegisterAsync();
        var other = await host.Identity.RegisterAsync();
        var delivery = Guid.CreateVersion7();
        var webhook = await JobRows.InsertAsync(host.DatabaseName,
            "webhook.deliver", "failed", other.OrganizationId, payload: $$"""{"DeliveryId":"{{delivery}}","Attempt":2,"Secret":"{{Canary}}","Sql":"select '{{Canary}}'"}""",
            finishedAt: "now()",
            error: "timed out");
        var run = await JobRows.InsertAsync(host.DatabaseName, "query.run", "dead_lettered", other.OrganizationId, payload: $$$"""{"RunId":"{{{Canary}}}","Parameters":{"p":"{{{Canary}}}"}}""");
        var unknown = await JobRows.InsertAsync(host.DatabaseName, "some.future_kind", "succeeded", null, payload: $$"""{"Token":"{{Canary}}","Id":"{{Guid.CreateVersion7()}}"}""", finishedAt: "now()");

        var detail = await GetJsonAsync(admin, $"{Url}/{webhook}");
        detail.GetProperty("payload").EnumerateObject().Select(p => (p.Name, p.Value.GetString()))
            .ShouldBe([("attempt", "2"), ("delivery_id", delivery.ToString())]);
        detail.GetProperty("serves").GetProperty("type").GetString().ShouldBe("webhook_delivery");
        detail.GetProperty("serves").GetProperty("id").GetGuid().ShouldBe(delivery);
        detail.GetProperty("job").GetProperty("error").GetString().ShouldBe("timed out");
        detail.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("event").GetString()).ShouldBe(["enqueued", "finished"]);
        detail.GetProperty("attempts").EnumerateArray().ShouldBeEmpty();
        await OwnerScalarAsync(
            $"INSERT INTO job_attempts (job_id, claim, attempt, node, started_at, ended_at, outcome, error) VALUES " +
            $"('{webhook}', 1, 1, 'node-a', now() - interval '1 minute', now() - interval '50 seconds', 'lease_expired', NULL), " +
            $"('{webhook}', 2, 1, 'node-b', now() - interval '40 seconds', now(), 'failed', 'timed out')");
        detail.GetProperty("timeline").GetArrayLength().ShouldBe(2);
        (await GetJsonAsync(admin, $"{Url}/{webhook}")).GetProperty("attempts").EnumerateArray()
            .Select(a => (a.GetProperty("claim").GetInt32(), a.GetProperty("node").GetString(), a.GetProperty("outcome").GetString(), a.GetProperty("error").ValueKind == JsonValueKind.String ? a.GetProperty("error").GetString() : null))
            .ShouldBe([(1, "node-a", "lease_expired", null), (2, "node-b", "failed", "timed out")]);
        (await GetJsonAsync(admin, $"{Url}/{run}")).GetProperty("payload").EnumerateObject().ShouldBeEmpty();
        (await GetJsonAsync(admin, $"{Url}/{unknown}")).GetProperty("payload").EnumerateObject().ShouldBeEmpty();

        var answers = new List<string>();
        foreach (var path in new[] { $"{Url}/overview", Url, $"{Url}?state=failed", $"{Url}/{webhook}", $"{Url}/{run}", $"{Url}/{unknown}" })
        {
            using var response = await admin.Client.GetAsync(path, Ct);
            answers.Add(await response.Content.ReadAsStringAsync(Ct));
        }

        foreach (var (method, path) in new[] { (HttpMethod.Post, $"{Url}/{run}/retry"), (HttpMethod.Post, $"{Url}/{run}/cancel"), (HttpMethod.Post, $"{Url}/{unknown}/cancel"), (HttpMethod.Post, $"{Url}/{webhook}/retry"), (HttpMethod.Delete, $"{Url}/{unknown}") })
        {
            using var response = await admin.Client.SendAsync(new HttpRequestMessage(method, path), Ct);
            answers.Add(await response.Content.ReadAsStringAsync(Ct));
        }

        using (var selection = await admin.Client.PostAsJsonAsync($"{Url}/retry", new { ids = new[] { run, webhook } }, Ct))
        {
            answers.Add(await selection.Content.ReadAsStringAsync(Ct));
        }

        answers.Count.ShouldBe(12);
        answers.ShouldAllBe(answer => !answer.Contains(Canary, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retry_QueuesAFailedJobAgain_AuditedWithTheAdmin_AndRefusesOtherStatesByName()
    {
        var admin = await host.Identity.RegisterAsync();
        var other = await host.Identity.RegisterAsync();
        var failed = await JobRows.InsertAsync(host.DatabaseName, "test.kind", "dead_lettered", other.OrganizationId, attempt: 3, finishedAt: "now()", error: "boom");
        var queued = await JobRows.InsertAsync(host.DatabaseName, "test.kind", "queued", other.OrganizationId);
        var run = await JobRows.InsertAsync(host.DatabaseName, "query.run", "failed", other.OrganizationId, finishedAt: "now()");

        using (var retried = await admin.Client.PostAsync($"{Url}/{failed}/retry", null, Ct))
        {
            retried.StatusCode.ShouldBe(HttpStatusCode.OK, await retried.Content.ReadAsStringAsync(Ct));
            (await retried.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("outcome").GetString().ShouldBe("retried");
        }

        (await StateAsync(failed)).ShouldBe("queued/0");
        (await ScalarAsync($"SELECT count(*) FROM audit_events WHERE action = 'job.retried' AND target_id = '{failed}' AND actor_user_id = '{admin.UserId}' AND organization_id = '{admin.OrganizationId}'")).ShouldBe(1);
        await ShouldBeRefusedAsync(admin, HttpMethod.Post, $"{Url}/{queued}/retry", HttpStatusCode.Conflict, "job.not_retryable");
        // A query run's job whose payload names no run: there is nothing to run again.
        await ShouldBeRefusedAsync(admin, HttpMethod.Post, $"{Url}/{run}/retry", HttpStatusCode.Conflict, "job.run_finished");
        await ShouldBeRefusedAsync(admin, HttpMethod.Post, $"{Url}/{Guid.CreateVersion7()}/retry", HttpStatusCode.NotFound, "not_found");

        var again = await JobRows.InsertAsync(host.DatabaseName, "test.kind", "failed", other.OrganizationId, finishedAt: "now()");
        var missing = Guid.CreateVersion7();
        using var selection = await admin.Client.PostAsJsonAsync($"{Url}/retry", new { ids = new[] { again, queued, missing } }, Ct);
        selection.StatusCode.ShouldBe(HttpStatusCode.OK, await selection.Content.ReadAsStringAsync(Ct));
        (await selection.Content.ReadFromJsonAsync<JsonElement>(Ct)).EnumerateArray().Select(r => (r.GetProperty("id").GetGuid(), r.GetProperty("outcome").GetString()))
            .ShouldBe([(again, "retried"), (queued, "job.not_retryable"), (missing, "not_found")]);
        (await StateAsync(again)).ShouldBe("queued/0");
        using var empty = await admin.Client.PostAsJsonAsync($"{Url}/retry", new { ids = Array.Empty<Guid>() }, Ct);
        (await empty.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldContain("ids");
    }

    [Fact]
    public async Task Cancel_StopsAQueuedJob_AsksTheNodeOfARunningOne_AndDeleteRemovesOnlyFinishedJobs()
    {
        var admin = await host.Identity.RegisterAsync();
        var queued = await JobRows.InsertAsync(host.DatabaseName, "test.kind", "queued", null);
        var running = await JobRows.InsertAsync(host.DatabaseName, "test.kind", "running", admin.OrganizationId);
        var finished = await JobRows.InsertAsync(host.DatabaseName, "test.kind", "succeeded", null, finishedAt: "now()");

        (await PostOutcomeAsync(admin, $"{Url}/{queued}/cancel")).ShouldBe("cancelled");
        (await PostOutcomeAsync(admin, $"{Url}/{running}/cancel")).ShouldBe("cancellation_requested");
        (await StateAsync(queued)).ShouldBe("cancelled/0");
        (await ScalarAsync($"SELECT count(*) FROM jobs WHERE id = '{running}' AND state = 'running' AND cancel_requested_at IS NOT NULL")).ShouldBe(1);
        await ShouldBeRefusedAsync(admin, HttpMethod.Post, $"{Url}/{finished}/cancel", HttpStatusCode.Conflict, "job.not_cancellable");
        await ShouldBeRefusedAsync(admin, HttpMethod.Delete, $"{Url}/{running}", HttpStatusCode.Conflict, "job.not_finished");

        using (var deleted = await admin.Client.DeleteAsync($"{Url}/{finished}", Ct))
        {
            deleted.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        (await ScalarAsync($"SELECT count(*) FROM jobs WHERE id = '{finished}'")).ShouldBe(0);
        (await ScalarAsync($"SELECT count(*) FROM audit_events WHERE action IN ('job.cancelled', 'job.deleted') AND actor_user_id = '{admin.UserId}'")).ShouldBe(3);
        await ShouldBeRefusedAsync(admin, HttpMethod.Delete, $"{Url}/{finished}", HttpStatusCode.NotFound, "not_found");
    }

    private static List<Guid> Ids(JsonElement page) => [.. page.GetProperty("data").EnumerateArray().Select(j => j.GetProperty("id").GetGuid())];

    /// <summary>A problem without the members that differ per request.</summary>
    private static string Comparable(JsonElement problem) =>
        string.Join("|", problem.EnumerateObject().Where(p => p.Name is not ("instance" or "error_id" or "trace_id")).Select(p => $"{p.Name}={p.Value}"));

    private static async Task<JsonElement> GetJsonAsync(Member member, string path)
    {
        using var response = await member.Client.GetAsync(path, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement;
    }

    private static async Task<string?> PostOutcomeAsync(Member member, string path)
    {
        using var response = await member.Client.PostAsync(path, null, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("outcome").GetString();
    }

    private static async Task ShouldBeRefusedAsync(Member member, HttpMethod method, string path, HttpStatusCode status, string code)
    {
        using var response = await member.Client.SendAsync(new HttpRequestMessage(method, path), Ct);
        (await response.ShouldBeProblemAsync(status)).GetProperty("code").GetString().ShouldBe(code);
    }

    private async Task<string> StateAsync(Guid id) =>
        (string)(await OwnerScalarAsync($"SELECT state || '/' || attempt FROM jobs WHERE id = '{id}'"))!;

    private async Task<long> ScalarAsync(string sql) => Convert.ToInt64(await OwnerScalarAsync(sql), System.Globalization.CultureInfo.InvariantCulture);

    private async Task<object?> OwnerScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(TestPostgres.OwnerConnection(host.DatabaseName));
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(Ct);
    }
}
