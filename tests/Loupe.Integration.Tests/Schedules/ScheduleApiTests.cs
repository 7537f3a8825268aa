using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Support;
using static Loupe.Integration.Tests.Schedules.SchedulesApi;

namespace Loupe.Integration.Tests.Schedules;

/// <summary>/api/v1/schedules: everyone reads, editors write and trigger; cron, zone and values are checked at their fields.</summary>
public sealed class ScheduleApiTests(SchedulesApi api) : ResetBeforeEachTest(api), IClassFixture<SchedulesApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        using (response)
        {
            return await response.ShouldBeProblemAsync(status);
        }
    }

    private static string[] ErrorKeys(JsonElement problem) => [.. problem.GetProperty("errors").EnumerateObject().Select(e => e.Name)];

    [Fact]
    public async Task Create_AnswersTheScheduleWithItsNextTime_InTheOrganizationsZone_AndViewersReadIt()
    {
        var org = await api.OrganizationAsync();
        var before = DateTimeOffset.UtcNow;

        var (created, etag) = await CreateAsync(org.Editor, org.QueryId, "0 9 * * 1-5", new JsonObject { ["tags"] = new JsonArray("Ops", " ops ") });

        etag.ShouldNotBeNullOrEmpty();
        created.GetProperty("query_id").GetGuid().ShouldBe(org.QueryId);
        created.GetProperty("cron").GetString().ShouldBe("0 9 * * 1-5");
        created.GetProperty("timezone").GetString().ShouldBe("UTC");
        created.GetProperty("enabled").GetBoolean().ShouldBeTrue();
        created.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ShouldBe(["ops"]);
        var next = created.GetProperty("next_run_at").GetDateTimeOffset();
        next.ShouldBeGreaterThan(before);
        next.Minute.ShouldBe(0);
        next.Hour.ShouldBe(9);
        created.GetProperty("last_run").ValueKind.ShouldBe(JsonValueKind.Null);
        created.GetProperty("consecutive_failures").GetInt32().ShouldBe(0);
        created.GetProperty("owner_id").GetGuid().ShouldBe(org.Editor.UserId);
        created.GetProperty("status").GetString().ShouldBe("active");

        var read = await GetAsync(org.Viewer, created.GetProperty("id").GetGuid());
        read.GetProperty("next_run_at").GetString().ShouldBe(created.GetProperty("next_run_at").GetString());
        using var list = await SendAsync(org.Viewer, HttpMethod.Get, $"{Url}?query_id={org.QueryId}");
        list.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = JsonDocument.Parse(await list.Content.ReadAsStringAsync(Ct)).RootElement;
        page.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("id").GetGuid()).ShouldBe([created.GetProperty("id").GetGuid()]);
    }

    [Fact]
    public async Task Viewers_CannotWriteOrTrigger()
    {
        var org = await api.OrganizationAsync();
        var (created, _) = await CreateAsync(org.Editor, org.QueryId);
        var id = created.GetProperty("id").GetGuid();

        await ProblemAsync(await SendAsync(org.Viewer, HttpMethod.Post, Url, new JsonObject { ["query_id"] = org.QueryId, ["name"] = "x", ["cron"] = "* * * * *" }), HttpStatusCode.Forbidden);
        await ProblemAsync(await SendAsync(org.Viewer, HttpMethod.Patch, $"{Url}/{id}", new JsonObject { ["name"] = "x" }), HttpStatusCode.Forbidden);
        await ProblemAsync(await SendAsync(org.Viewer, HttpMethod.Post, $"{Url}/{id}/trigger"), HttpStatusCode.Forbidden);
        await ProblemAsync(await SendAsync(org.Viewer, HttpMethod.Delete, $"{Url}/{id}"), HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("0 25 * * *", "schedule.cron_invalid")]
    [InlineData("* * * *", "schedule.cron_invalid")]
    [InlineData("*/10 * * * * *", "schedule.cron_too_frequent")]
    [InlineData("0 0 30 2 *", "schedule.cron_never_fires")]
    public async Task AnInvalidCron_Is400_WithTheReasonAtTheField(string cron, string code)
    {
        var org = await api.OrganizationAsync();

        var problem = await ProblemAsync(
            await SendAsync(org.Editor, HttpMethod.Post, Url, new JsonObject { ["query_id"] = org.QueryId, ["name"] = "x", ["cron"] = cron }), HttpStatusCode.BadRequest);

        problem.GetProperty("code").GetString().ShouldBe(code);
        ErrorKeys(problem).ShouldBe(["cron"]);
        problem.GetProperty("errors").GetProperty("cron")[0].GetString().ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task AnUnknownZone_Is400_AtTheField()
    {
        var org = await api.OrganizationAsync();

        var problem = await ProblemAsync(
            await SendAsync(org.Editor, HttpMethod.Post, Url, new JsonObject { ["query_id"] = org.QueryId, ["name"] = "x", ["cron"] = "0 * * * *", ["timezone"] = "Mars/Olympus" }),
            HttpStatusCode.BadRequest);

        problem.GetProperty("code").GetString().ShouldBe("schedule.timezone_unknown");
        ErrorKeys(problem).ShouldBe(["timezone"]);
    }

    [Fact]
    public async Task Values_AreCheckedAgainstTheQuerysParameters()
    {
        var parameters = new JsonArray(new JsonObject { ["name"] = "region", ["type"] = "text" });
        var org = await api.OrganizationAsync("SELECT {{ region }} AS region", parameters);

        var missing = await ProblemAsync(
            await SendAsync(org.Editor, HttpMethod.Post, Url, new JsonObject { ["query_id"] = org.QueryId, ["name"] = "x", ["cron"] = "0 * * * *" }), HttpStatusCode.BadRequest);
        ErrorKeys(missing).ShouldBe(["parameters.region"]);

        var (created, _) = await CreateAsync(org.Editor, org.QueryId, "0 * * * *", new JsonObject { ["parameters"] = new JsonObject { ["region"] = "eu" } });
        created.GetProperty("parameters").GetProperty("region").GetString().ShouldBe("eu");
    }

    [Fact]
    public async Task AQueryOfAnotherOrganization_IsNotFoundAtQueryId()
    {
        var org = await api.OrganizationAsync();
        var other = await api.OrganizationAsync();

        var problem = await ProblemAsync(
            await SendAsync(org.Editor, HttpMethod.Post, Url, new JsonObject { ["query_id"] = other.QueryId, ["name"] = "x", ["cron"] = "0 * * * *" }), HttpStatusCode.BadRequest);

        problem.GetProperty("code").GetString().ShouldBe("schedule.query_not_found");
    }

    [Fact]
    public async Task Patch_IsAMergePatch_WithIfMatch_AndAStaleOneIs412()
    {
        var org = await api.OrganizationAsync();
        var (created, etag) = await CreateAsync(org.Editor, org.QueryId, "0 * * * *", new JsonObject { ["tags"] = new JsonArray("a") });
        var id = created.GetProperty("id").GetGuid();

        using var changed = await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{id}", new JsonObject { ["cron"] = "30 6 * * *", ["timezone"] = "Europe/Berlin", ["tags"] = null }, etag);
        var text = await changed.Content.ReadAsStringAsync(Ct);
        changed.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        var body = JsonDocument.Parse(text).RootElement;
        body.GetProperty("cron").GetString().ShouldBe("30 6 * * *");
        body.GetProperty("timezone").GetString().ShouldBe("Europe/Berlin");
        body.GetProperty("tags").GetArrayLength().ShouldBe(0);
        body.GetProperty("name").GetString().ShouldBe("Every five minutes");
        var next = body.GetProperty("next_run_at").GetDateTimeOffset();
        TimeZoneInfo.ConvertTime(next, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")).TimeOfDay.ShouldBe(new TimeSpan(6, 30, 0));

        var stale = await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{id}", new JsonObject { ["name"] = "y" }, etag), HttpStatusCode.PreconditionFailed);
        stale.GetProperty("code").GetString().ShouldBe("precondition_failed");

        var reset = await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{id}", new JsonObject { ["cron"] = null }), HttpStatusCode.BadRequest);
        ErrorKeys(reset).ShouldBe(["cron"]);
    }

    [Fact]
    public async Task Disabling_ClearsTheNextTime_AndArchivingStopsIt_UntilRestored()
    {
        var org = await api.OrganizationAsync();
        var (created, _) = await CreateAsync(org.Editor, org.QueryId);
        var id = created.GetProperty("id").GetGuid();

        using (var disabled = await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{id}", new JsonObject { ["enabled"] = false }))
        {
            var body = JsonDocument.Parse(await disabled.Content.ReadAsStringAsync(Ct)).RootElement;
            body.GetProperty("enabled").GetBoolean().ShouldBeFalse();
            body.GetProperty("next_run_at").ValueKind.ShouldBe(JsonValueKind.Null);
        }

        using (var enabled = await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{id}", new JsonObject { ["enabled"] = true }))
        {
            JsonDocument.Parse(await enabled.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("next_run_at").ValueKind.ShouldBe(JsonValueKind.String);
        }

        using (var archived = await SendAsync(org.Editor, HttpMethod.Delete, $"{Url}/{id}"))
        {
            archived.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        (await GetAsync(org.Viewer, id)).GetProperty("next_run_at").ValueKind.ShouldBe(JsonValueKind.Null);
        await ProblemAsync(await SendAsync(org.Editor, HttpMethod.Post, $"{Url}/{id}/trigger"), HttpStatusCode.Conflict);
        using (var active = await SendAsync(org.Viewer, HttpMethod.Get, Url))
        {
            JsonDocument.Parse(await active.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("data").GetArrayLength().ShouldBe(0);
        }

        using (var archivedList = await SendAsync(org.Viewer, HttpMethod.Get, $"{Url}?status=archived"))
        {
            JsonDocument.Parse(await archivedList.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("data").GetArrayLength().ShouldBe(1);
        }

        using var restored = await SendAsync(org.Editor, HttpMethod.Post, $"{Url}/{id}/restore");
        restored.StatusCode.ShouldBe(HttpStatusCode.OK);
        JsonDocument.Parse(await restored.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("next_run_at").ValueKind.ShouldBe(JsonValueKind.String);
    }

    [Fact]
    public async Task Trigger_QueuesAnOrdinaryRunOfTheQuery_ThatBecomesTheLastRun_AndIsAudited()
    {
        var org = await api.OrganizationAsync();
        var (created, _) = await CreateAsync(org.Editor, org.QueryId);
        var id = created.GetProperty("id").GetGuid();

        using var triggered = await SendAsync(org.Editor, HttpMethod.Post, $"{Url}/{id}/trigger");
        var text = await triggered.Content.ReadAsStringAsync(Ct);
        triggered.StatusCode.ShouldBe(HttpStatusCode.Accepted, text);
        var run = JsonDocument.Parse(text).RootElement;
        run.GetProperty("saved_query_id").GetGuid().ShouldBe(org.QueryId);
        var runId = run.GetProperty("id").GetGuid();

        (await Runs.RunsApi.FinishedAsync(org.Editor, runId)).GetProperty("status").GetString().ShouldBe("succeeded");
        await api.SettledAsync();
        var schedule = await GetAsync(org.Viewer, id);
        schedule.GetProperty("last_run").GetProperty("id").GetGuid().ShouldBe(runId);
        schedule.GetProperty("last_run").GetProperty("status").GetString().ShouldBe("succeeded");
        schedule.GetProperty("next_run_at").GetString().ShouldBe(created.GetProperty("next_run_at").GetString());

        var actions = (await IdentityApi.GetRowsAsync(org.Admin.Client, "/api/v1/audit-events?per_page=100"))
            .Select(e => e.GetProperty("action").GetString()).ToList();
        actions.ShouldContain("schedule.created");
        actions.ShouldContain("schedule.triggered");
    }
}
