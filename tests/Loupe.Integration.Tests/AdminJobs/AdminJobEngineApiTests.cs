using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Runs;
using Loupe.Integration.Tests.Support;
using Npgsql;

namespace Loupe.Integration.Tests.AdminJobs;

/// <summary>The API host's engine serves <c>default</c> and <c>reports</c>, so a test can pause one queue and watch the other.</summary>
public sealed class AdminJobEngineApi : RunsApi
{
    protected override void AddSettings(IDictionary<string, string?> settings)
    {
        settings["Jobs:Queues:0"] = "default";
        settings["Jobs:Queues:1"] = "reports";
    }
}

/// <summary>
/// The jobs admin API against a running engine (in the API host) and a real PostgreSQL data source:
/// the servers and queues it reports, pausing and resuming a queue, and a query run's job retried or
/// cancelled by an instance admin of another organization, the run kept in step.
/// </summary>
public sealed class AdminJobEngineApiTests(AdminJobEngineApi api) : ResetBeforeEachTest(api), IClassFixture<AdminJobEngineApi>
{
    private const string Url = "/api/v1/admin/jobs";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Servers_ListTheHostsNode_WithItsSlotsAndQueues_AndMarkANodeThatStoppedBeatingLost()
    {
        var admin = await api.Identity.RegisterAsync();
        await api.ExecuteOwnerAsync(
            "INSERT INTO job_nodes (node, host, machine, process_id, started_at, heartbeat_at, slots, slots_used, queues) " +
            "VALUES ('gone-node', 'worker', 'old-box', 4242, now() - interval '2 hours', now() - interval '5 minutes', 8, 3, ARRAY['default'])");

        var servers = await Eventually.HoldsAsync(
            () => GetJsonAsync(admin, $"{Url}/servers"),
            page => page.GetProperty("data").EnumerateArray().Any(n => n.GetProperty("host").GetString() == "api"),
            Patience,
            "the API host's node has beaten");

        var nodes = servers.GetProperty("data").EnumerateArray().ToList();
        var live = nodes.Single(n => n.GetProperty("host").GetString() == "api");
        live.GetProperty("lost").GetBoolean().ShouldBeFalse();
        live.GetProperty("queues").EnumerateArray().Select(q => q.GetString()).ShouldBe(["default", "reports"]);
        live.GetProperty("slots").GetInt32().ShouldBeGreaterThan(0);
        live.GetProperty("slots_used").GetInt32().ShouldBeInRange(0, live.GetProperty("slots").GetInt32());
        live.GetProperty("process_id").GetInt32().ShouldBe(Environment.ProcessId);
        live.GetProperty("machine").GetString().ShouldBe(Environment.MachineName);
        live.GetProperty("heartbeat_age_seconds").GetDouble().ShouldBeGreaterThanOrEqualTo(0);

        var lost = nodes.Single(n => n.GetProperty("node").GetString() == "gone-node");
        lost.GetProperty("lost").GetBoolean().ShouldBeTrue();
        lost.GetProperty("host").GetString().ShouldBe("worker");
        lost.GetProperty("slots_used").GetInt32().ShouldBe(3);
        lost.GetProperty("heartbeat_age_seconds").GetDouble().ShouldBeGreaterThanOrEqualTo(299);
    }

    [Fact]
    public async Task APausedQueue_IsListedEvenEmpty_NotClaimed_AndClaimedOnceResumed_EachChangeAuditedOnce()
    {
        var admin = await api.Identity.RegisterAsync();

        var paused = await PostJsonAsync(admin, $"{Url}/queues/reports/pause");
        paused.GetProperty("outcome").GetString().ShouldBe("paused");
        var since = paused.GetProperty("paused_at").GetDateTimeOffset();
        var again = await PostJsonAsync(admin, $"{Url}/queues/reports/pause");
        again.GetProperty("outcome").GetString().ShouldBe("already_paused");
        again.GetProperty("paused_at").GetDateTimeOffset().ShouldBe(since);

        var empty = Queue(await GetJsonAsync(admin, $"{Url}/queues"), "reports");
        empty.GetProperty("paused").GetBoolean().ShouldBeTrue();
        empty.GetProperty("paused_at").GetDateTimeOffset().ShouldBe(since);
        empty.GetProperty("depth").GetInt64().ShouldBe(0);
        empty.GetProperty("not_due").GetInt64().ShouldBe(0);
        empty.GetProperty("next_due_at").ValueKind.ShouldBe(JsonValueKind.Null);
        empty.GetProperty("oldest_wait_seconds").ValueKind.ShouldBe(JsonValueKind.Null);

        // Both are due at once; the claim that takes the open queue's job leaves the paused queue's.
        var held = await InsertProbeAsync("reports");
        var open = await InsertProbeAsync("default");
        await api.ExecuteOwnerAsync("NOTIFY loupe_jobs_ready");
        await WaitForStateAsync(open, "succeeded");
        (await StateAsync(held)).ShouldBe("queued");
        var waiting = Queue(await GetJsonAsync(admin, $"{Url}/queues"), "reports");
        waiting.GetProperty("depth").GetInt64().ShouldBe(1);
        waiting.GetProperty("priorities").EnumerateArray().Single().GetProperty("priority").GetString().ShouldBe("maintenance");
        waiting.GetProperty("oldest_wait_seconds").GetDouble().ShouldBeGreaterThanOrEqualTo(0);

        // The node registers again at its next beat after the test's reset emptied the registry.
        await Eventually.HoldsAsync(
            async () => Queue(await GetJsonAsync(admin, $"{Url}/queues"), "reports").GetProperty("nodes").GetArrayLength() == 1, Patience, "the node serving reports is listed");
        Queue(await GetJsonAsync(admin, $"{Url}/queues"), "default").GetProperty("paused").GetBoolean().ShouldBeFalse();

        (await PostJsonAsync(admin, $"{Url}/queues/reports/resume")).GetProperty("outcome").GetString().ShouldBe("resumed");
        await WaitForStateAsync(held, "succeeded");
        var notPaused = await PostJsonAsync(admin, $"{Url}/queues/reports/resume");
        notPaused.GetProperty("outcome").GetString().ShouldBe("not_paused");
        notPaused.GetProperty("paused_at").ValueKind.ShouldBe(JsonValueKind.Null);

        (await ScalarAsync(
            $"SELECT count(*) FROM audit_events WHERE action = 'job.queue_paused' AND actor_user_id = '{admin.UserId}' " +
            $"AND organization_id = '{admin.OrganizationId}' AND details ->> 'queue' = 'reports'")).ShouldBe(1);
        (await ScalarAsync($"SELECT count(*) FROM audit_events WHERE action = 'job.queue_resumed' AND actor_user_id = '{admin.UserId}'")).ShouldBe(1);

        foreach (var invalid in new[] { "Not%20A%20Queue", new string('q', 65), "UPPER" })
        {
            using var refused = await admin.Client.PostAsync($"{Url}/queues/{invalid}/pause", null, Ct);
            (await refused.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("code").GetString().ShouldBe("job.invalid_queue");
        }

        (await ScalarAsync("SELECT count(*) FROM job_queue_pauses")).ShouldBe(0);
    }

    [Fact]
    public async Task AQueueHoldingOnlyJobsNotDueYet_IsListed_WithHowManyAndWhenTheNextFallsDue()
    {
        var admin = await api.Identity.RegisterAsync();
        await api.ExecuteOwnerAsync(
            "INSERT INTO jobs (id, kind, queue, priority, payload, state, attempt, max_attempts, run_at, enqueued_at) VALUES " +
            $"('{Guid.CreateVersion7()}', 'jobs.probe', 'nightly', 2, '{{}}', 'queued', 1, 3, now() + interval '10 minutes', now()), " +
            $"('{Guid.CreateVersion7()}', 'jobs.probe', 'nightly', 1, '{{}}', 'queued', 0, 3, now() + interval '2 hours', now())");

        var queues = await GetJsonAsync(admin, $"{Url}/queues");

        var nightly = Queue(queues, "nightly");
        nightly.GetProperty("depth").GetInt64().ShouldBe(0);
        nightly.GetProperty("oldest_wait_seconds").ValueKind.ShouldBe(JsonValueKind.Null);
        nightly.GetProperty("not_due").GetInt64().ShouldBe(2);
        nightly.GetProperty("next_due_at").GetDateTimeOffset().ShouldBeInRange(DateTimeOffset.UtcNow.AddMinutes(8), DateTimeOffset.UtcNow.AddMinutes(11));
        nightly.GetProperty("nodes").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task CancellingARunningQueryRunsJob_CancelsTheRunInItsOrganization_AndStopsItsQuery()
    {
        var admin = await api.Identity.RegisterAsync();
        var owner = await api.Identity.RegisterAsync();
        var source = await api.CreateSourceAsync(owner);
        await Eventually.HoldsAsync(async () => await api.ActiveQueriesAsync() == 0, TimeSpan.FromSeconds(10), "no earlier test's query is left on the data source");

        var run = (await RunsApi.StartAsync(owner, source, RunsApi.Busy(2_000_000_000))).GetProperty("id").GetGuid();
        var job = await JobOfAsync(run);
        await RunsApi.ReachesAsync(owner, run, "running");
        await Eventually.HoldsAsync(
            async () => await api.ActiveQueriesAsync() != 0, TimeSpan.FromSeconds(10), "the run's query is active on the data source", api.DescribeActiveQueriesAsync, TimeSpan.FromMilliseconds(25));

        (await PostJsonAsync(admin, $"{Url}/{job}/cancel")).GetProperty("outcome").GetString().ShouldBe("cancellation_requested");

        (await IdentityApi.GetOkAsync(owner.Client, $"/api/v1/runs/{run}")).GetProperty("status").GetString().ShouldBe("cancelled");
        await Eventually.HoldsAsync(
            async () => await api.ActiveQueriesAsync() == 0, TimeSpan.FromSeconds(10), "the cancelled run's query is gone from the data source", api.DescribeActiveQueriesAsync);
        await WaitForStateAsync(job, "cancelled");
        var finished = await RunsApi.FinishedAsync(owner, run);
        finished.GetProperty("status").GetString().ShouldBe("cancelled");
        finished.GetProperty("error").GetProperty("code").GetString().ShouldBe("57014");
        (await ScalarAsync(
            $"SELECT count(*) FROM audit_events WHERE action = 'job.cancelled' AND target_id = '{job}' AND actor_user_id = '{admin.UserId}' " +
            $"AND organization_id = '{admin.OrganizationId}' AND details ->> 'organization_id' = '{owner.OrganizationId}'")).ShouldBe(1);
        using var again = await owner.Client.PostAsync($"/api/v1/runs/{run}/cancel", null, Ct);
        (await again.ShouldBeProblemAsync(HttpStatusCode.Conflict)).GetProperty("code").GetString().ShouldBe("run.finished");
    }

    [Fact]
    public async Task CancellingAQueuedQueryRunsJob_CancelsTheRunBeforeItStarts()
    {
        var admin = await api.Identity.RegisterAsync();
        var owner = await api.Identity.RegisterAsync();
        var source = await api.CreateSourceAsync(owner);
        (await PostJsonAsync(admin, $"{Url}/queues/default/pause")).GetProperty("outcome").GetString().ShouldBe("paused");

        var run = (await RunsApi.StartAsync(owner, source, "select 1 as n")).GetProperty("id").GetGuid();
        var job = await JobOfAsync(run);
        (await PostJsonAsync(admin, $"{Url}/{job}/cancel")).GetProperty("outcome").GetString().ShouldBe("cancelled");

        (await StateAsync(job)).ShouldBe("cancelled");
        var cancelled = await IdentityApi.GetOkAsync(owner.Client, $"/api/v1/runs/{run}");
        cancelled.GetProperty("status").GetString().ShouldBe("cancelled");
        cancelled.GetProperty("attempt").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task RetryingAQueryRunsJob_StartsAnUnfinishedRunAgain_ButRefusesOneWhoseRunHasFinished()
    {
        var admin = await api.Identity.RegisterAsync();
        var owner = await api.Identity.RegisterAsync();
        var source = await api.CreateSourceAsync(owner);

        // A run that ended (failed) while its job also failed: a finished run is never run again.
        var failedRun = (await RunsApi.StartAsync(owner, source, "select * from no_such_table")).GetProperty("id").GetGuid();
        (await RunsApi.FinishedAsync(owner, failedRun)).GetProperty("status").GetString().ShouldBe("failed");
        var failedJob = await JobOfAsync(failedRun);
        await WaitForStateAsync(failedJob, "succeeded");
        await api.ExecuteOwnerAsync($"UPDATE jobs SET state = 'failed', error = 'boom' WHERE id = '{failedJob}'");
        using (var refused = await admin.Client.PostAsync($"{Url}/{failedJob}/retry", null, Ct))
        {
            (await refused.ShouldBeProblemAsync(HttpStatusCode.Conflict)).GetProperty("code").GetString().ShouldBe("job.run_finished");
        }

        (await StateAsync(failedJob)).ShouldBe("failed");
        (await IdentityApi.GetOkAsync(owner.Client, $"/api/v1/runs/{failedRun}")).GetProperty("status").GetString().ShouldBe("failed");

        // A run whose job was dead-lettered while an attempt was under way (its node lost, again and
        // again): the run never recorded an end, so the retried job starts it again with a new attempt.
        (await PostJsonAsync(admin, $"{Url}/queues/default/pause")).GetProperty("outcome").GetString().ShouldBe("paused");
        var stranded = (await RunsApi.StartAsync(owner, source, "select 42 as n")).GetProperty("id").GetGuid();
        var strandedJob = await JobOfAsync(stranded);
        await api.ExecuteOwnerAsync(
            $"UPDATE query_runs SET status = 'running', attempt = 1, started_at = now() WHERE id = '{stranded}';" +
            $"UPDATE jobs SET state = 'dead_lettered', attempt = 6, finished_at = now(), error = 'lease expired' WHERE id = '{strandedJob}'");
        (await PostJsonAsync(admin, $"{Url}/queues/default/resume")).GetProperty("outcome").GetString().ShouldBe("resumed");

        using (var selection = await admin.Client.PostAsJsonAsync($"{Url}/retry", new { ids = new[] { strandedJob, failedJob } }, Ct))
        {
            var text = await selection.Content.ReadAsStringAsync(Ct);
            selection.StatusCode.ShouldBe(HttpStatusCode.OK, text);
            JsonDocument.Parse(text).RootElement.EnumerateArray().Select(r => (r.GetProperty("id").GetGuid(), r.GetProperty("outcome").GetString()))
                .ShouldBe([(strandedJob, "retried"), (failedJob, "job.run_finished")]);
        }

        var finished = await RunsApi.FinishedAsync(owner, stranded);
        finished.GetProperty("status").GetString().ShouldBe("succeeded", await api.DescribeRunsAsync());
        finished.GetProperty("attempt").GetInt32().ShouldBe(2);
        finished.GetProperty("row_count").GetInt64().ShouldBe(1);
        await WaitForStateAsync(strandedJob, "succeeded");
        (await ScalarAsync($"SELECT count(*) FROM audit_events WHERE action = 'job.retried' AND target_id = '{strandedJob}' AND actor_user_id = '{admin.UserId}'")).ShouldBe(1);
        (await ScalarAsync($"SELECT count(*) FROM audit_events WHERE action = 'job.retried' AND target_id = '{failedJob}'")).ShouldBe(0);
    }

    private static JsonElement Queue(JsonElement queues, string name) =>
        queues.GetProperty("data").EnumerateArray().Single(q => q.GetProperty("queue").GetString() == name);

    private static async Task<JsonElement> GetJsonAsync(Member member, string path)
    {
        using var response = await member.Client.GetAsync(path, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement;
    }

    private static async Task<JsonElement> PostJsonAsync(Member member, string path)
    {
        using var response = await member.Client.PostAsync(path, null, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>A <c>jobs.probe</c> job (succeeds at once) in <paramref name="queue"/>, due now.</summary>
    private async Task<Guid> InsertProbeAsync(string queue)
    {
        var id = Guid.CreateVersion7();
        await api.ExecuteOwnerAsync(
            "INSERT INTO jobs (id, kind, queue, priority, payload, state, attempt, max_attempts, run_at, enqueued_at) " +
            $"VALUES ('{id}', 'jobs.probe', '{queue}', 2, '{{}}', 'queued', 0, 3, now(), now())");
        return id;
    }

    private async Task<Guid> JobOfAsync(Guid run) => (Guid)(await OwnerScalarAsync($"SELECT job_id FROM query_runs WHERE id = '{run}'"))!;

    private async Task<string> StateAsync(Guid job) => (string)(await OwnerScalarAsync($"SELECT state FROM jobs WHERE id = '{job}'"))!;

    private Task WaitForStateAsync(Guid job, string state) =>
        Eventually.HoldsAsync(async () => await StateAsync(job) == state, Patience, $"job {job} is {state}");

    private async Task<long> ScalarAsync(string sql) => Convert.ToInt64(await OwnerScalarAsync(sql), System.Globalization.CultureInfo.InvariantCulture);

    private async Task<object?> OwnerScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(api.OwnerConnection);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(Ct);
    }
}
