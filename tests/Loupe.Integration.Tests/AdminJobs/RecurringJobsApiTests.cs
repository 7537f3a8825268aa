using System.Net;
using System.Text.Json;
using Loupe.Infrastructure.Jobs;
using Loupe.Infrastructure.Runs;
using Loupe.Integration.Tests.Schedules;
using Loupe.Integration.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static Loupe.Integration.Tests.Schedules.SchedulesApi;

namespace Loupe.Integration.Tests.AdminJobs;

/// <summary>
/// The schedules host with the system jobs' timers off, so that no timer queues a system job while a
/// test counts them: a test runs one tick of a timer itself (<see cref="TickAsync{T}"/>).
/// </summary>
public sealed class RecurringJobsApi : SchedulesApi
{
    protected override void AddSettings(IDictionary<string, string?> settings)
    {
        base.AddSettings(settings);
        settings["Jobs:Retention:SweepMinutes"] = "0";
        settings["Runs:RetentionSweepMinutes"] = "0";
    }

    /// <summary>One tick of the timer of this host that queues the system jobs <typeparamref name="T"/> queues.</summary>
    public Task TickAsync<T>()
        where T : IHostedService
    {
        var timer = Factory.Services.GetServices<IHostedService>().OfType<T>().Single();
        return timer switch
        {
            JobRetentionSchedule jobs => jobs.EnqueueAsync(TestContext.Current.CancellationToken),
            ResultRetentionSchedule runs => runs.EnqueueAsync(TestContext.Current.CancellationToken),
            _ => throw new ArgumentException($"{typeof(T).Name} queues no system job."),
        };
    }
}

/// <summary>
/// /api/v1/admin/jobs/recurring: an instance admin sees the system jobs and every organization's
/// schedules, and triggers, pauses and resumes them; each action is audited with the admin as its
/// actor. Anyone else is answered as at an address where nothing exists.
/// </summary>
public sealed class RecurringJobsApiTests(RecurringJobsApi api) : ResetBeforeEachTest(api), IClassFixture<RecurringJobsApi>
{
    private const string Recurring = "/api/v1/admin/jobs/recurring";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryoneButAnInstanceAdmin_GetsTheAnswerOfAnUnknownAddress_AndNothingChanges()
    {
        var admin = await api.Identity.RegisterAsync();
        var org = await api.OrganizationAsync();
        var (schedule, _) = await CreateAsync(org.Editor, org.QueryId);
        var id = schedule.GetProperty("id").GetGuid();
        using var anonymous = api.Identity.Anonymous();
        using var unknown = await anonymous.GetAsync("/api/v1/admin/nothing-here", Ct);
        var expected = Comparable(await unknown.ShouldBeProblemAsync(HttpStatusCode.NotFound));

        (HttpMethod Method, string Path)[] calls =
        [
            (HttpMethod.Get, Recurring),
            (HttpMethod.Get, $"{Recurring}?cursor=nonsense"),
            (HttpMethod.Post, $"{Recurring}/schedules/{id}/trigger"),
            (HttpMethod.Post, $"{Recurring}/schedules/{id}/pause"),
            (HttpMethod.Post, $"{Recurring}/schedules/{id}/resume"),
            (HttpMethod.Post, $"{Recurring}/system/jobs.retention/trigger"),
            (HttpMethod.Post, $"{Recurring}/system/jobs.retention/pause"),
            (HttpMethod.Post, $"{Recurring}/system/jobs.retention/resume"),
        ];
        foreach (var client in new[] { anonymous, org.Admin.Client, org.Editor.Client })
        {
            foreach (var (method, path) in calls)
            {
                using var response = await client.SendAsync(new HttpRequestMessage(method, path), Ct);
                Comparable(await response.ShouldBeProblemAsync(HttpStatusCode.NotFound)).ShouldBe(expected, $"{method} {path}");
            }
        }

        (await GetAsync(org.Editor, id)).GetProperty("enabled").GetBoolean().ShouldBeTrue();
        (await api.RunsOfAsync(id)).ShouldBe(0);
        (await api.ScalarAsync("SELECT count(*) FROM jobs WHERE kind = 'jobs.retention'")).ShouldBe(0);
        (await api.ScalarAsync("SELECT count(*) FROM recurring_job_pauses")).ShouldBe(0);
        using var allowed = await admin.Client.GetAsync(Recurring, Ct);
        allowed.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AnInstanceAdmin_SeesTheSystemJobs_AndTheSchedulesOfEveryOrganization_APageAtATime()
    {
        var admin = await api.Identity.RegisterAsync();
        var first = await api.OrganizationAsync();
        var second = await api.OrganizationAsync();
        var ids = new List<Guid>
        {
            (await CreateAsync(first.Editor, first.QueryId, "0 9 * * 1-5")).Body.GetProperty("id").GetGuid(),
            (await CreateAsync(first.Editor, first.QueryId, "*/10 * * * *")).Body.GetProperty("id").GetGuid(),
            (await CreateAsync(second.Editor, second.QueryId, "30 6 * * *")).Body.GetProperty("id").GetGuid(),
        };
        var archived = (await CreateAsync(second.Editor, second.QueryId)).Body.GetProperty("id").GetGuid();
        await api.ExecuteOwnerAsync($"UPDATE schedules SET archived_at = now(), next_run_at = NULL WHERE id = '{archived}'");
        ids = [.. ids.OrderBy(id => id.ToString(), StringComparer.Ordinal)];

        var page1 = await GetJsonAsync(admin, $"{Recurring}?limit=2");
        var page2 = await GetJsonAsync(admin, $"{Recurring}?limit=2&cursor={page1.GetProperty("next_cursor").GetString()}");

        ScheduleIds(page1).ShouldBe(ids.Take(2));
        ScheduleIds(page2).ShouldBe(ids.Skip(2));
        page2.GetProperty("next_cursor").ValueKind.ShouldBe(JsonValueKind.Null);
        var all = (await GetJsonAsync(admin, Recurring)).GetProperty("schedules").EnumerateArray().ToList();
        all.Select(s => s.GetProperty("organization_id").GetGuid()).Distinct().ShouldBe([first.Admin.OrganizationId, second.Admin.OrganizationId], ignoreOrder: true);
        var morning = all.Single(s => s.GetProperty("cron").GetString() == "30 6 * * *");
        morning.GetProperty("organization_id").GetGuid().ShouldBe(second.Admin.OrganizationId);
        morning.GetProperty("organization_name").GetString().ShouldNotBeNullOrEmpty();
        morning.GetProperty("timezone").GetString().ShouldBe("UTC");
        morning.GetProperty("state").GetString().ShouldBe("active");
        morning.GetProperty("next_run_at").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow);
        morning.GetProperty("last_run_status").ValueKind.ShouldBe(JsonValueKind.Null);
        morning.TryGetProperty("parameters", out _).ShouldBeFalse();

        foreach (var page in new[] { page1, page2 })
        {
            var systemJobs = page.GetProperty("system_jobs").EnumerateArray().ToList();
            systemJobs.Select(j => j.GetProperty("kind").GetString()).ShouldBe(["jobs.retention", "results.retention", "runs.stranded"]);
            systemJobs.ShouldAllBe(j => j.GetProperty("state").GetString() == "off" && j.GetProperty("interval").GetString() == "never");
        }
    }

    [Theory]
    [InlineData("cursor=abc", "cursor")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    public async Task List_RefusesABadPage_AtItsParameter(string query, string field)
    {
        var admin = await api.Identity.RegisterAsync();

        using var response = await admin.Client.GetAsync($"{Recurring}?{query}", Ct);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldContain(field);
    }

    [Fact]
    public async Task PauseAndResume_AnotherOrganizationsSchedule_GoThroughTheSchedule_AndAreAuditedThereWithTheAdminAsActor()
    {
        var admin = await api.Identity.RegisterAsync();
        var org = await api.OrganizationAsync();
        var id = (await CreateAsync(org.Editor, org.QueryId)).Body.GetProperty("id").GetGuid();

        (await PostOutcomeAsync(admin, $"{Recurring}/schedules/{id}/pause")).ShouldBe("paused");
        var paused = await GetAsync(org.Editor, id);
        paused.GetProperty("enabled").GetBoolean().ShouldBeFalse();
        paused.GetProperty("next_run_at").ValueKind.ShouldBe(JsonValueKind.Null);
        (await PostOutcomeAsync(admin, $"{Recurring}/schedules/{id}/pause")).ShouldBe("already_paused");
        (await ScheduleStateAsync(admin, id)).ShouldBe("disabled");

        (await PostOutcomeAsync(admin, $"{Recurring}/schedules/{id}/resume")).ShouldBe("resumed");
        var resumed = await GetAsync(org.Editor, id);
        resumed.GetProperty("enabled").GetBoolean().ShouldBeTrue();
        resumed.GetProperty("next_run_at").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow);
        (await PostOutcomeAsync(admin, $"{Recurring}/schedules/{id}/resume")).ShouldBe("already_active");

        foreach (var action in new[] { "schedule.disabled_by_admin", "schedule.enabled_by_admin" })
        {
            (await api.ScalarAsync(
                $"SELECT count(*) FROM audit_events WHERE action = '{action}' AND actor_user_id = '{admin.UserId}' " +
                $"AND organization_id = '{org.Admin.OrganizationId}' AND target_type = 'schedule' AND target_id = '{id}'")).ShouldBe(1, action);
        }

        // A schedule that paused itself after its failures starts anew: its count at zero, its reason gone.
        await api.ExecuteOwnerAsync(
            $"UPDATE schedules SET enabled = false, next_run_at = NULL, consecutive_failures = 3, paused_reason = 'Paused after 3 failed runs in a row' WHERE id = '{id}'");
        var selfPaused = (await GetJsonAsync(admin, Recurring)).GetProperty("schedules").EnumerateArray().Single(s => s.GetProperty("id").GetGuid() == id);
        selfPaused.GetProperty("state").GetString().ShouldBe("paused");
        selfPaused.GetProperty("paused_reason").GetString().ShouldBe("Paused after 3 failed runs in a row");
        (await PostOutcomeAsync(admin, $"{Recurring}/schedules/{id}/resume")).ShouldBe("resumed");
        (await api.ScalarAsync($"SELECT count(*) FROM schedules WHERE id = '{id}' AND enabled AND consecutive_failures = 0 AND paused_reason IS NULL")).ShouldBe(1);
    }

    [Fact]
    public async Task Trigger_RunsAnotherOrganizationsSchedule_AsItsEditorsTriggerDoes()
    {
        var admin = await api.Identity.RegisterAsync();
        var org = await api.OrganizationAsync();
        var id = (await CreateAsync(org.Editor, org.QueryId)).Body.GetProperty("id").GetGuid();

        using var response = await admin.Client.PostAsync($"{Recurring}/schedules/{id}/trigger", null, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        var answer = JsonDocument.Parse(text).RootElement;
        answer.GetProperty("outcome").GetString().ShouldBe("triggered");
        var run = answer.GetProperty("run_id").GetGuid();

        (await api.ScalarAsync($"SELECT count(*) FROM query_runs WHERE id = '{run}' AND schedule_id = '{id}' AND organization_id = '{org.Admin.OrganizationId}'")).ShouldBe(1);
        (await GetAsync(org.Editor, id)).GetProperty("last_run").GetProperty("id").GetGuid().ShouldBe(run);
        (await api.ScalarAsync(
            $"SELECT count(*) FROM audit_events WHERE action = 'schedule.triggered' AND actor_user_id = '{admin.UserId}' " +
            $"AND organization_id = '{org.Admin.OrganizationId}' AND target_id = '{id}' AND details ->> 'by' = 'instance_admin'")).ShouldBe(1);
        await api.SettledAsync();
    }

    [Fact]
    public async Task ActionsOnAnArchivedOrUnknownSchedule_AreRefusedWithTheirCodes()
    {
        var admin = await api.Identity.RegisterAsync();
        var org = await api.OrganizationAsync();
        var id = (await CreateAsync(org.Editor, org.QueryId)).Body.GetProperty("id").GetGuid();
        await api.ExecuteOwnerAsync($"UPDATE schedules SET archived_at = now(), next_run_at = NULL WHERE id = '{id}'");

        foreach (var action in new[] { "trigger", "pause", "resume" })
        {
            await ShouldBeRefusedAsync(admin, $"{Recurring}/schedules/{id}/{action}", HttpStatusCode.Conflict, "schedule.archived");
            using var unknown = await admin.Client.PostAsync($"{Recurring}/schedules/{Guid.CreateVersion7()}/{action}", null, Ct);
            await unknown.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        }

        (await api.RunsOfAsync(id)).ShouldBe(0);
    }

    [Fact]
    public async Task SystemJob_TriggerQueuesItNow_AndWhileOneOfItsKindWaits_IsRefused409()
    {
        var admin = await api.Identity.RegisterAsync();

        using (var response = await admin.Client.PostAsync($"{Recurring}/system/results.retention/trigger", null, Ct))
        {
            var text = await response.Content.ReadAsStringAsync(Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
            var job = JsonDocument.Parse(text).RootElement.GetProperty("job_id").GetGuid();
            (await api.ScalarAsync($"SELECT count(*) FROM jobs WHERE id = '{job}' AND kind = 'results.retention' AND unique_key = 'results.retention' AND organization_id IS NULL")).ShouldBe(1);
            (await api.ScalarAsync(
                $"SELECT count(*) FROM audit_events WHERE action = 'system_job.triggered' AND actor_user_id = '{admin.UserId}' " +
                $"AND organization_id = '{admin.OrganizationId}' AND target_id = '{job}' AND details ->> 'kind' = 'results.retention'")).ShouldBe(1);
        }

        // One that waits for later holds the kind's unique key.
        await api.ExecuteOwnerAsync(
            "INSERT INTO jobs (id, kind, queue, priority, payload, organization_id, state, attempt, max_attempts, run_at, unique_key, enqueued_at) " +
            $"VALUES ('{Guid.CreateVersion7()}', 'jobs.retention', 'default', 2, '{{}}', NULL, 'queued', 0, 3, now() + interval '1 hour', 'jobs.retention', now())");
        await ShouldBeRefusedAsync(admin, $"{Recurring}/system/jobs.retention/trigger", HttpStatusCode.Conflict, "system_job.already_queued");
        (await api.ScalarAsync("SELECT count(*) FROM jobs WHERE kind = 'jobs.retention'")).ShouldBe(1);
        (await api.ScalarAsync("SELECT count(*) FROM audit_events WHERE action = 'system_job.triggered'")).ShouldBe(1);
        var listed = (await GetJsonAsync(admin, Recurring)).GetProperty("system_jobs").EnumerateArray().Single(j => j.GetProperty("kind").GetString() == "jobs.retention");
        listed.GetProperty("last_status").GetString().ShouldBe("scheduled");

        foreach (var action in new[] { "trigger", "pause", "resume" })
        {
            await ShouldBeRefusedAsync(admin, $"{Recurring}/system/no.such_job/{action}", HttpStatusCode.NotFound, "system_job.not_found");
        }
    }

    [Fact]
    public async Task APausedSystemJob_IsNotQueuedByItsTimer_UntilItIsResumed()
    {
        var admin = await api.Identity.RegisterAsync();

        (await PostOutcomeAsync(admin, $"{Recurring}/system/jobs.retention/pause")).ShouldBe("paused");
        (await PostOutcomeAsync(admin, $"{Recurring}/system/runs.stranded/pause")).ShouldBe("paused");
        (await PostOutcomeAsync(admin, $"{Recurring}/system/runs.stranded/pause")).ShouldBe("already_paused");
        await api.TickAsync<JobRetentionSchedule>();
        await api.TickAsync<ResultRetentionSchedule>();

        (await QueuedAsync("jobs.retention")).ShouldBe(0);
        (await QueuedAsync("runs.stranded")).ShouldBe(0);
        (await QueuedAsync("results.retention")).ShouldBe(1);
        var states = (await GetJsonAsync(admin, Recurring)).GetProperty("system_jobs").EnumerateArray()
            .ToDictionary(j => j.GetProperty("kind").GetString()!, j => j.GetProperty("state").GetString());
        states.ShouldBe(new Dictionary<string, string?> { ["jobs.retention"] = "paused", ["results.retention"] = "off", ["runs.stranded"] = "paused" });

        (await PostOutcomeAsync(admin, $"{Recurring}/system/jobs.retention/resume")).ShouldBe("resumed");
        (await PostOutcomeAsync(admin, $"{Recurring}/system/runs.stranded/resume")).ShouldBe("resumed");
        (await PostOutcomeAsync(admin, $"{Recurring}/system/runs.stranded/resume")).ShouldBe("already_active");
        await api.TickAsync<JobRetentionSchedule>();
        await api.TickAsync<ResultRetentionSchedule>();

        (await QueuedAsync("jobs.retention")).ShouldBe(1);
        (await QueuedAsync("runs.stranded")).ShouldBe(1);
        (await api.ScalarAsync(
            $"SELECT count(*) FROM audit_events WHERE action IN ('system_job.paused', 'system_job.resumed') AND actor_user_id = '{admin.UserId}' " +
            $"AND organization_id = '{admin.OrganizationId}'")).ShouldBe(4);
    }

    private Task<long> QueuedAsync(string kind) => api.ScalarAsync($"SELECT count(*) FROM jobs WHERE kind = '{kind}' AND organization_id IS NULL");

    private static List<Guid> ScheduleIds(JsonElement page) => [.. page.GetProperty("schedules").EnumerateArray().Select(s => s.GetProperty("id").GetGuid())];

    private static async Task<string?> ScheduleStateAsync(Member admin, Guid id) =>
        (await GetJsonAsync(admin, Recurring)).GetProperty("schedules").EnumerateArray().Single(s => s.GetProperty("id").GetGuid() == id).GetProperty("state").GetString();

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

    private static async Task ShouldBeRefusedAsync(Member member, string path, HttpStatusCode status, string code)
    {
        using var response = await member.Client.PostAsync(path, null, Ct);
        (await response.ShouldBeProblemAsync(status)).GetProperty("code").GetString().ShouldBe(code);
    }
}
