using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Support;
using static Loupe.Integration.Tests.Schedules.SchedulesApi;

namespace Loupe.Integration.Tests.Schedules;

/// <summary>
/// The tick: due schedules fire once however many tick at once, once after downtime, and their
/// runs' outcomes are counted; the third failure in a row pauses a schedule (this host's setting).
/// </summary>
public sealed class ScheduleFiringTests(SchedulesApi api) : ResetBeforeEachTest(api), IClassFixture<SchedulesApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AfterDowntime_ADueScheduleFiresOnce_AndItsNextTimeIsAhead()
    {
        var org = await api.OrganizationAsync();
        var (created, _) = await CreateAsync(org.Editor, org.QueryId, "* * * * *");
        var id = created.GetProperty("id").GetGuid();
        await api.MakeDueAsync(TimeSpan.FromDays(3), id);

        (await api.TickAsync()).ShouldBe(1);
        (await api.TickAsync()).ShouldBe(0);

        (await api.RunsOfAsync(id)).ShouldBe(1);
        var schedule = await GetAsync(org.Viewer, id);
        schedule.GetProperty("next_run_at").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddSeconds(-1));
        var lastRun = schedule.GetProperty("last_run");
        lastRun.GetProperty("status").GetString().ShouldBe("queued");
        var run = await Runs.RunsApi.FinishedAsync(org.Viewer, lastRun.GetProperty("id").GetGuid());
        run.GetProperty("status").GetString().ShouldBe("succeeded");
        run.GetProperty("saved_query_id").GetGuid().ShouldBe(org.QueryId);
        run.GetProperty("requester_id").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task ManyTicksAtOnce_MakeExactlyOneRunPerDueSchedule()
    {
        var org = await api.OrganizationAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 40; i++)
        {
            ids.Add((await CreateAsync(org.Editor, org.QueryId, "*/5 * * * *")).Body.GetProperty("id").GetGuid());
        }

        await api.MakeDueAsync(TimeSpan.FromMinutes(1), [.. ids]);

        var fired = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(api.TickAsync, Ct)));

        fired.Sum().ShouldBe(40);
        (await api.ScalarAsync($"SELECT count(*) FROM query_runs WHERE schedule_id IS NOT NULL")).ShouldBe(40);
        (await api.ScalarAsync($"SELECT count(DISTINCT schedule_id) FROM query_runs WHERE schedule_id IS NOT NULL")).ShouldBe(40);
        (await api.ScalarAsync("SELECT count(*) FROM schedules WHERE next_run_at <= now()")).ShouldBe(0);
    }

    [Fact]
    public async Task FailuresAreCounted_TheThirdInARowPausesTheSchedule_AuditedOnce_AndEnablingStartsAgain()
    {
        var org = await api.OrganizationAsync("SELECT 1 / 0 AS broken");
        var (created, _) = await CreateAsync(org.Editor, org.QueryId, "* * * * *");
        var id = created.GetProperty("id").GetGuid();

        for (var failure = 1; failure <= 3; failure++)
        {
            await api.MakeDueAsync(TimeSpan.FromMinutes(1), id);
            (await api.TickAsync()).ShouldBe(1);
            await api.SettledAsync();
            var schedule = await GetAsync(org.Viewer, id);
            schedule.GetProperty("consecutive_failures").GetInt32().ShouldBe(failure);
            schedule.GetProperty("last_error").GetString().ShouldNotBeNull().ShouldContain("22012");
            schedule.GetProperty("last_run").GetProperty("status").GetString().ShouldBe("failed");
        }

        var paused = await GetAsync(org.Viewer, id);
        paused.GetProperty("enabled").GetBoolean().ShouldBeFalse();
        paused.GetProperty("next_run_at").ValueKind.ShouldBe(JsonValueKind.Null);
        paused.GetProperty("paused_reason").GetString().ShouldNotBeNull().ShouldContain("3 failed runs in a row");
        var audit = (await IdentityApi.GetRowsAsync(org.Admin.Client, "/api/v1/audit-events?per_page=100"))
            .Where(e => e.GetProperty("action").GetString() == "schedule.paused").ToList();
        audit.ShouldHaveSingleItem().GetProperty("actor_id").ValueKind.ShouldBe(JsonValueKind.Null);

        // Every failure told the world, the pause once; with ids and a summary only.
        (await api.ScalarAsync($"SELECT count(*) FROM outbox_events WHERE event_type = 'schedule.run_failed' AND payload->>'schedule_id' = '{id}'")).ShouldBe(3);
        (await api.ScalarAsync($"SELECT count(*) FROM outbox_events WHERE event_type = 'schedule.paused' AND payload->>'schedule_id' = '{id}'")).ShouldBe(1);
        (await api.ScalarAsync($"SELECT count(*) FROM outbox_events WHERE event_type = 'schedule.run_failed' AND payload->>'error_code' = '22012' AND payload->>'status' = 'failed' AND payload::text NOT LIKE '%division%'")).ShouldBe(3);

        using var enabled = await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{id}", new JsonObject { ["enabled"] = true });
        enabled.StatusCode.ShouldBe(HttpStatusCode.OK);
        var again = JsonDocument.Parse(await enabled.Content.ReadAsStringAsync(Ct)).RootElement;
        again.GetProperty("consecutive_failures").GetInt32().ShouldBe(0);
        again.GetProperty("paused_reason").ValueKind.ShouldBe(JsonValueKind.Null);
        again.GetProperty("next_run_at").ValueKind.ShouldBe(JsonValueKind.String);
    }

    [Fact]
    public async Task ASuccess_EndsTheFailureCount()
    {
        var org = await api.OrganizationAsync("SELECT 1 / 0 AS broken");
        var (created, _) = await CreateAsync(org.Editor, org.QueryId, "* * * * *");
        var id = created.GetProperty("id").GetGuid();
        await api.MakeDueAsync(TimeSpan.FromMinutes(1), id);
        await api.TickAsync();
        await api.SettledAsync();
        (await GetAsync(org.Viewer, id)).GetProperty("consecutive_failures").GetInt32().ShouldBe(1);

        await api.ExecuteOwnerAsync($"UPDATE saved_queries SET sql = 'SELECT 1 AS fixed' WHERE id = '{org.QueryId}'");
        await api.MakeDueAsync(TimeSpan.FromMinutes(1), id);
        await api.TickAsync();
        await api.SettledAsync();

        var schedule = await GetAsync(org.Viewer, id);
        schedule.GetProperty("consecutive_failures").GetInt32().ShouldBe(0);
        schedule.GetProperty("last_run").GetProperty("status").GetString().ShouldBe("succeeded");
        schedule.GetProperty("enabled").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task AFiringThatCannotQueueItsRun_IsCountedAsAFailure_AndTheScheduleMovesOn()
    {
        var org = await api.OrganizationAsync();
        var (created, _) = await CreateAsync(org.Editor, org.QueryId, "* * * * *");
        var id = created.GetProperty("id").GetGuid();
        await api.ExecuteOwnerAsync($"UPDATE saved_queries SET archived_at = now() WHERE id = '{org.QueryId}'");
        await api.MakeDueAsync(TimeSpan.FromMinutes(1), id);

        (await api.TickAsync()).ShouldBe(1);

        (await api.RunsOfAsync(id)).ShouldBe(0);
        var schedule = await GetAsync(org.Viewer, id);
        schedule.GetProperty("consecutive_failures").GetInt32().ShouldBe(1);
        schedule.GetProperty("last_error").GetString().ShouldNotBeNull().ShouldContain("archived");
        schedule.GetProperty("next_run_at").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddSeconds(-1));
        (await api.ScalarAsync($"SELECT count(*) FROM outbox_events WHERE event_type = 'schedule.run_failed' AND payload->>'status' = 'not_queued' AND payload->>'run_id' IS NULL")).ShouldBe(1);
    }

    [Fact]
    public async Task ASuccessfulRun_EmitsNoScheduleEvent()
    {
        var org = await api.OrganizationAsync();
        var (created, _) = await CreateAsync(org.Editor, org.QueryId, "* * * * *");
        await api.MakeDueAsync(TimeSpan.FromMinutes(1), created.GetProperty("id").GetGuid());
        await api.TickAsync();
        await api.SettledAsync();

        (await api.ScalarAsync("SELECT count(*) FROM outbox_events WHERE event_type LIKE 'schedule.%'")).ShouldBe(0);
    }
}
