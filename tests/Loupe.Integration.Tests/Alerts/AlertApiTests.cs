using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Loupe.Application.Alerts;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Runs;
using Loupe.Integration.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Loupe.Integration.Tests.Alerts;

/// <summary>
/// /api/v1/alerts against the real database, with the job engine in the host so a saved query's runs
/// finish and their alerts are evaluated: the condition is checked on write (its column against the
/// query's latest result, its webhooks against the organization's), and each successful run moves the
/// alert's state, with exactly one outbox event per notice, written with the state it announces.
/// </summary>
public sealed class AlertApiTests(AlertsApi api) : ResetBeforeEachTest(api), IClassFixture<AlertsApi>
{
    private const string Url = "/api/v1/alerts";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly string[] TriggeredOnly = ["alert.triggered"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Organization(Member Admin, Member Editor, Member Viewer, Guid SourceId);

    private async Task<Organization> OrganizationAsync()
    {
        var admin = await api.Identity.RegisterAsync();
        var editor = await api.Identity.AddMemberAsync(admin, "editor");
        var viewer = await api.Identity.AddMemberAsync(admin, "viewer");
        return new Organization(admin, editor, viewer, await api.CreateSourceAsync(admin));
    }

    /// <summary>A table of the source database holding one <c>amount</c> per row, which a test changes between runs.</summary>
    private async Task<string> MetricTableAsync(params int[] amounts)
    {
        var table = $"alert_metric_{Guid.NewGuid():N}";
        await ExecuteInSourceAsync($"CREATE TABLE {table} (amount integer, label text)");
        await SetAmountsAsync(table, amounts);
        return table;
    }

    private async Task SetAmountsAsync(string table, params int[] amounts)
    {
        var values = amounts.Length == 0 ? string.Empty : $"INSERT INTO {table} VALUES {string.Join(", ", amounts.Select(a => $"({a}, 'row {a}')"))};";
        await ExecuteInSourceAsync($"TRUNCATE {table}; {values}");
    }

    private async Task ExecuteInSourceAsync(string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(TestPostgres.AdminConnection) { Database = api.SourceDatabase };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }

    private static async Task<Guid> CreateQueryAsync(Member editor, Guid sourceId, string sql)
    {
        var query = await IdentityApi.PostCreatedAsync(editor, "/api/v1/queries", new { name = $"metric {Guid.NewGuid():N}", sql, datasource_id = sourceId });
        return query.GetProperty("id").GetGuid();
    }

    /// <summary>Runs the saved query and waits for it to succeed; answers the run's id.</summary>
    private static async Task<Guid> RunQueryAsync(Member member, Guid queryId)
    {
        using var response = await member.Client.PostAsJsonAsync($"/api/v1/queries/{queryId}/runs", new { }, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, text);
        var run = JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
        (await RunsApi.FinishedAsync(member, run)).GetProperty("status").GetString().ShouldBe("succeeded");
        return run;
    }

    private static JsonObject Body(Guid queryId, string condition, string name = "Amount watch") => new()
    {
        ["query_id"] = queryId,
        ["name"] = name,
        ["condition"] = JsonNode.Parse(condition),
    };

    private static async Task<HttpResponseMessage> SendAsync(Member member, HttpMethod method, string url, JsonNode? body = null, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, url)
        {
            Content = body is null ? null : new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await member.Client.SendAsync(request, Ct);
    }

    private static async Task<JsonElement> CreateAsync(Member member, JsonObject body)
    {
        using var response = await SendAsync(member, HttpMethod.Post, Url, body);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        response.Headers.ETag.ShouldNotBeNull();
        return JsonDocument.Parse(text).RootElement;
    }

    private static async Task<JsonElement> GetAsync(Member member, Guid id)
    {
        using var response = await member.Client.GetAsync($"{Url}/{id}", Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>Waits until the alert has evaluated <paramref name="runId"/>'s result (its evaluation job ran).</summary>
    private async Task<JsonElement> EvaluatedAsync(Member member, Guid alertId, Guid runId)
    {
        DateTimeOffset finishedAt;
        await using (var connection = new NpgsqlConnection(api.OwnerConnection))
        {
            await connection.OpenAsync(Ct);
            await using var command = new NpgsqlCommand("SELECT finished_at FROM query_runs WHERE id = $1", connection) { Parameters = { new() { Value = runId } } };
            finishedAt = new DateTimeOffset((DateTime)(await command.ExecuteScalarAsync(Ct))!, TimeSpan.Zero);
        }

        return await Eventually.HoldsAsync(
            () => GetAsync(member, alertId),
            alert => alert.GetProperty("last_evaluated_at").ValueKind == JsonValueKind.String
                && alert.GetProperty("last_evaluated_at").GetDateTimeOffset() >= finishedAt.AddTicks(-10),
            Patience,
            $"the alert evaluated run {runId}",
            alert => alert.GetRawText());
    }

    private async Task<IReadOnlyList<(string Type, JsonElement Payload)>> EventsOfAsync(Guid alertId)
    {
        await using var connection = new NpgsqlConnection(api.OwnerConnection);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(
            "SELECT event_type, payload::text FROM outbox_events WHERE event_type LIKE 'alert.%' AND payload->>'alert_id' = $1 ORDER BY occurred_at, id", connection)
        {
            Parameters = { new() { Value = alertId.ToString() } },
        };
        var events = new List<(string, JsonElement)>();
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            events.Add((reader.GetString(0), JsonDocument.Parse(reader.GetString(1)).RootElement.Clone()));
        }

        return events;
    }

    private static Dictionary<string, string[]> ErrorsOf(JsonElement problem) =>
        problem.GetProperty("errors").EnumerateObject()
            .ToDictionary(e => e.Name, e => e.Value.EnumerateArray().Select(m => m.GetString()!).ToArray(), StringComparer.Ordinal);

    [Fact]
    public async Task ARunThatCrossesTheThreshold_TriggersOnce_AndResolvesWhenItFallsBack()
    {
        var org = await OrganizationAsync();
        var table = await MetricTableAsync(5);
        var queryId = await CreateQueryAsync(org.Editor, org.SourceId, $"SELECT amount, label FROM {table} ORDER BY amount");
        await RunQueryAsync(org.Editor, queryId);
        var alert = await CreateAsync(org.Editor, Body(queryId, """{"selector":"max","column":"amount","op":">","value":10}"""));
        var alertId = alert.GetProperty("id").GetGuid();
        alert.GetProperty("state").GetString().ShouldBe("unknown");
        alert.GetProperty("state_reason").GetString().ShouldBe("not_evaluated");

        var below = await EvaluatedAsync(org.Editor, alertId, await RunQueryAsync(org.Editor, queryId));
        below.GetProperty("state").GetString().ShouldBe("ok");
        below.GetProperty("observed").GetString().ShouldBe("5");
        (await EventsOfAsync(alertId)).ShouldBeEmpty("ok from unknown tells nobody");

        await SetAmountsAsync(table, 5, 12);
        var crossingRun = await RunQueryAsync(org.Editor, queryId);
        var above = await EvaluatedAsync(org.Editor, alertId, crossingRun);
        above.GetProperty("state").GetString().ShouldBe("triggered");
        above.GetProperty("last_triggered_at").ValueKind.ShouldBe(JsonValueKind.String);
        var triggered = (await EventsOfAsync(alertId)).ShouldHaveSingleItem();
        triggered.Type.ShouldBe("alert.triggered");
        triggered.Payload.GetProperty("run_id").GetGuid().ShouldBe(crossingRun);
        triggered.Payload.GetProperty("query_id").GetGuid().ShouldBe(queryId);
        triggered.Payload.GetProperty("state").GetString().ShouldBe("triggered");
        triggered.Payload.GetProperty("observed").GetString().ShouldBe("12");
        triggered.Payload.GetProperty("webhook_ids").GetArrayLength().ShouldBe(0);
        triggered.Payload.GetRawText().ShouldNotContain(table, Case.Insensitive, "never the SQL");

        // Still above, no rearm: the same state, no repeat.
        await EvaluatedAsync(org.Editor, alertId, await RunQueryAsync(org.Editor, queryId));
        (await EventsOfAsync(alertId)).Count.ShouldBe(1);

        await SetAmountsAsync(table, 3);
        var fallingRun = await RunQueryAsync(org.Editor, queryId);
        (await EvaluatedAsync(org.Editor, alertId, fallingRun)).GetProperty("state").GetString().ShouldBe("ok");
        var events = await EventsOfAsync(alertId);
        events.Select(e => e.Type).ShouldBe(["alert.triggered", "alert.resolved"]);
        events[1].Payload.GetProperty("run_id").GetGuid().ShouldBe(fallingRun);
    }

    [Fact]
    public async Task AnAlertThatStaysTriggered_NotifiesAgainOnlyOnceRearmSecondsHavePassed_SinceTheLastNotice()
    {
        var org = await OrganizationAsync();
        var table = await MetricTableAsync(12);
        var queryId = await CreateQueryAsync(org.Editor, org.SourceId, $"SELECT amount FROM {table}");
        await RunQueryAsync(org.Editor, queryId);
        var body = Body(queryId, """{"selector":"max","column":"amount","op":">","value":10}""");
        body["rearm_seconds"] = 60;
        var alertId = (await CreateAsync(org.Editor, body)).GetProperty("id").GetGuid();

        // The host's clock, held: each run finishes, and its result is evaluated, at the instant held.
        var told = api.Clock.Hold();
        var first = await RunQueryAsync(org.Editor, queryId);
        (await EvaluatedAsync(org.Editor, alertId, first)).GetProperty("state").GetString().ShouldBe("triggered");
        (await EventsOfAsync(alertId)).ShouldHaveSingleItem().Payload.GetProperty("run_id").GetGuid().ShouldBe(first);

        // Still true a second short of rearm_seconds after the notice: no repeat.
        api.Clock.Hold(told.AddSeconds(59));
        (await EvaluatedAsync(org.Editor, alertId, await RunQueryAsync(org.Editor, queryId))).GetProperty("state").GetString().ShouldBe("triggered");
        (await EventsOfAsync(alertId)).Count.ShouldBe(1, "no repeat before rearm_seconds have passed");

        // Still true rearm_seconds after it: told again, by this run.
        var rearmed = api.Clock.Hold(told.AddSeconds(60));
        var repeating = await RunQueryAsync(org.Editor, queryId);
        await EvaluatedAsync(org.Editor, alertId, repeating);
        var events = await EventsOfAsync(alertId);
        events.Select(e => e.Type).ShouldBe(["alert.triggered", "alert.triggered"]);
        events[1].Payload.GetProperty("run_id").GetGuid().ShouldBe(repeating);
        events[1].Payload.GetProperty("state").GetString().ShouldBe("triggered");

        // The next repeat counts from that notice, not from the first.
        api.Clock.Hold(rearmed.AddSeconds(30));
        await EvaluatedAsync(org.Editor, alertId, await RunQueryAsync(org.Editor, queryId));
        (await EventsOfAsync(alertId)).Count.ShouldBe(2, "the rearm counts from the last notice");
    }

    [Fact]
    public async Task AnEmptyResult_IsUnknownWithAReason_NeverANumber()
    {
        var org = await OrganizationAsync();
        var table = await MetricTableAsync(50);
        var queryId = await CreateQueryAsync(org.Editor, org.SourceId, $"SELECT amount FROM {table}");
        await RunQueryAsync(org.Editor, queryId);
        var alertId = (await CreateAsync(org.Editor, Body(queryId, """{"selector":"first_row","column":"amount","op":"<","value":10}"""))).GetProperty("id").GetGuid();

        await SetAmountsAsync(table);
        var alert = await EvaluatedAsync(org.Editor, alertId, await RunQueryAsync(org.Editor, queryId));

        alert.GetProperty("state").GetString().ShouldBe("unknown");
        alert.GetProperty("state_reason").GetString().ShouldBe("empty_result");
        alert.GetProperty("observed").ValueKind.ShouldBe(JsonValueKind.Null);
        (await EventsOfAsync(alertId)).ShouldBeEmpty();
    }

    [Fact]
    public async Task AColumnTheResultNoLongerHas_IsUnknownWithAReason_NotACrash()
    {
        var org = await OrganizationAsync();
        var table = await MetricTableAsync(1);
        var queryId = await CreateQueryAsync(org.Editor, org.SourceId, $"SELECT amount FROM {table}");
        await RunQueryAsync(org.Editor, queryId);
        var alertId = (await CreateAsync(org.Editor, Body(queryId, """{"selector":"any_row","column":"amount","op":">=","value":1}"""))).GetProperty("id").GetGuid();

        await ExecuteInSourceAsync($"ALTER TABLE {table} RENAME COLUMN amount TO total");
        using (var patch = await SendAsync(org.Editor, HttpMethod.Patch, $"/api/v1/queries/{queryId}", new JsonObject { ["sql"] = $"SELECT total FROM {table}" }))
        {
            patch.StatusCode.ShouldBe(HttpStatusCode.OK, await patch.Content.ReadAsStringAsync(Ct));
        }

        var alert = await EvaluatedAsync(org.Editor, alertId, await RunQueryAsync(org.Editor, queryId));
        alert.GetProperty("state").GetString().ShouldBe("unknown");
        alert.GetProperty("state_reason").GetString().ShouldBe("missing_column");
    }

    [Fact]
    public async Task AnEvaluationRolledBack_WritesNothing_AndTheSameEvaluationCommitted_WritesOneEvent()
    {
        var org = await OrganizationAsync();
        var table = await MetricTableAsync(20);
        var queryId = await CreateQueryAsync(org.Editor, org.SourceId, $"SELECT amount FROM {table}");

        // The run finishes before the alert exists, so nothing evaluates it but this test.
        var runId = await RunQueryAsync(org.Editor, queryId);
        var alertId = (await CreateAsync(org.Editor, Body(queryId, """{"selector":"first_row","column":"amount","op":">","value":10}"""))).GetProperty("id").GetGuid();
        var before = (await GetAsync(org.Editor, alertId)).GetRawText();

        await using (var scope = api.Factory.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<ITenantScope>().Enter(org.Admin.OrganizationId);
            var unitOfWork = scope.ServiceProvider.GetRequiredService<IUnitOfWork>();
            var evaluation = scope.ServiceProvider.GetRequiredService<EvaluateAlertsJobHandler>();
            await Should.ThrowAsync<InvalidOperationException>(() => unitOfWork.InTransactionAsync<int>(
                async () =>
                {
                    (await evaluation.EvaluateAsync(runId, Ct)).ShouldBe(1, "the evaluation staged its notice");
                    throw new InvalidOperationException("the transaction fails after the evaluation saved");
                },
                Ct));
        }

        (await GetAsync(org.Editor, alertId)).GetRawText().ShouldBe(before, "the state change rolled back with the transaction");
        (await EventsOfAsync(alertId)).ShouldBeEmpty("and so did its event");

        await using (var scope = api.Factory.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<ITenantScope>().Enter(org.Admin.OrganizationId);
            (await scope.ServiceProvider.GetRequiredService<EvaluateAlertsJobHandler>().EvaluateAsync(runId, Ct)).ShouldBe(1);
        }

        (await GetAsync(org.Editor, alertId)).GetProperty("state").GetString().ShouldBe("triggered");
        (await EventsOfAsync(alertId)).ShouldHaveSingleItem().Type.ShouldBe("alert.triggered");

        // Delivered again (at least once): the run is not newer than the one evaluated, nothing changes.
        await using (var scope = api.Factory.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<ITenantScope>().Enter(org.Admin.OrganizationId);
            (await scope.ServiceProvider.GetRequiredService<EvaluateAlertsJobHandler>().EvaluateAsync(runId, Ct)).ShouldBe(0);
        }

        (await EventsOfAsync(alertId)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task AMutedAlert_ChangesStateButNotifiesNobody()
    {
        var org = await OrganizationAsync();
        var table = await MetricTableAsync(1);
        var queryId = await CreateQueryAsync(org.Editor, org.SourceId, $"SELECT amount FROM {table}");
        var body = Body(queryId, """{"selector":"row_count","op":">=","value":2}""");
        body["muted"] = true;
        var alertId = (await CreateAsync(org.Editor, body)).GetProperty("id").GetGuid();

        await SetAmountsAsync(table, 1, 2, 3);
        var alert = await EvaluatedAsync(org.Editor, alertId, await RunQueryAsync(org.Editor, queryId));

        alert.GetProperty("state").GetString().ShouldBe("triggered");
        alert.GetProperty("observed").GetString().ShouldBe("3");
        (await EventsOfAsync(alertId)).ShouldBeEmpty();
    }

    [Fact]
    public async Task AColumnTheLatestResultLacks_IsRefusedOnWrite_NamingIt()
    {
        var org = await OrganizationAsync();
        var table = await MetricTableAsync(1);
        var queryId = await CreateQueryAsync(org.Editor, org.SourceId, $"SELECT amount, label FROM {table}");
        await RunQueryAsync(org.Editor, queryId);

        using var response = await SendAsync(org.Editor, HttpMethod.Post, Url, Body(queryId, """{"selector":"min","column":"revenue","op":">","value":1}"""));
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        problem.GetProperty("code").GetString().ShouldBe("alert.column_unknown");
        var message = ErrorsOf(problem)["condition.column"].ShouldHaveSingleItem();
        message.ShouldContain("'revenue'");
        message.ShouldContain("amount");

        var alertId = (await CreateAsync(org.Editor, Body(queryId, """{"selector":"min","column":"amount","op":">","value":1}"""))).GetProperty("id").GetGuid();
        using var patch = await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{alertId}", new JsonObject { ["condition"] = JsonNode.Parse("""{"selector":"max","column":"cost","op":"<","value":1}""") });
        ErrorsOf(await patch.ShouldBeProblemAsync(HttpStatusCode.BadRequest))["condition.column"].ShouldHaveSingleItem().ShouldContain("'cost'");
    }

    [Fact]
    public async Task ABrokenCondition_IsRefusedWhole_FieldByField()
    {
        var org = await OrganizationAsync();
        var queryId = await CreateQueryAsync(org.Editor, org.SourceId, "SELECT 1 AS amount");
        var body = Body(queryId, """{"selector":"median","column":"amount","op":"~","value":1}""");
        body["rearm_seconds"] = 5;

        using var response = await SendAsync(org.Editor, HttpMethod.Post, Url, body);
        var errors = ErrorsOf(await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest));

        errors.Keys.ShouldBe(["condition.selector", "condition.op", "rearm_seconds"], ignoreOrder: true);

        using var text = await SendAsync(org.Editor, HttpMethod.Post, Url, Body(queryId, """{"selector":"first_row","column":"amount","op":">","value":"high"}"""));
        (await text.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("code").GetString().ShouldBe("alert.operator_not_for_text");

        using var contains = await SendAsync(org.Editor, HttpMethod.Post, Url, Body(queryId, """{"selector":"any_row","column":"amount","op":"contains","value":"err"}"""));
        contains.StatusCode.ShouldBe(HttpStatusCode.Created, await contains.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task WebhookIds_MustNameWebhooksOfTheOrganization()
    {
        var org = await OrganizationAsync();
        var other = await OrganizationAsync();
        var queryId = await CreateQueryAsync(org.Editor, org.SourceId, "SELECT 1 AS amount");
        var own = await IdentityApi.PostCreatedAsync(
            org.Admin, "/api/v1/webhooks", new { name = "ops", url = "https://hooks.example.invalid/ops", events = TriggeredOnly, enabled = false });
        var foreign = await IdentityApi.PostCreatedAsync(
            other.Admin, "/api/v1/webhooks", new { name = "theirs", url = "https://hooks.example.invalid/theirs", events = TriggeredOnly, enabled = false });
        var ownId = own.GetProperty("webhook").GetProperty("id").GetGuid();
        var foreignId = foreign.GetProperty("webhook").GetProperty("id").GetGuid();

        var body = Body(queryId, """{"selector":"row_count","op":">","value":0}""");
        body["webhook_ids"] = new JsonArray(ownId, foreignId);
        using var refused = await SendAsync(org.Editor, HttpMethod.Post, Url, body);
        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("code").GetString().ShouldBe("alert.webhook_unknown");
        var message = ErrorsOf(problem)["webhook_ids"].ShouldHaveSingleItem();
        message.ShouldContain(foreignId.ToString());
        message.ShouldNotContain(ownId.ToString());

        body["webhook_ids"] = new JsonArray(ownId);
        var alert = await CreateAsync(org.Editor, body);
        alert.GetProperty("webhook_ids").EnumerateArray().Select(e => e.GetGuid()).ShouldBe([ownId]);
    }

    [Fact]
    public async Task Crud_ViewersRead_EditorsWrite_ArchiveAndRestore_ListByStatus()
    {
        var org = await OrganizationAsync();
        var queryId = await CreateQueryAsync(org.Editor, org.SourceId, "SELECT 1 AS amount");
        var body = Body(queryId, """{"selector":"row_count","op":">","value":0}""", "Rows watch");

        using (var forbidden = await SendAsync(org.Viewer, HttpMethod.Post, Url, body))
        {
            await forbidden.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        }

        var created = await CreateAsync(org.Editor, body);
        var alertId = created.GetProperty("id").GetGuid();
        created.GetProperty("status").GetString().ShouldBe("active");
        created.GetProperty("condition").GetRawText().ShouldBe("""{"selector":"row_count","column":null,"op":">","value":0}""");
        created.GetProperty("rearm_seconds").ValueKind.ShouldBe(JsonValueKind.Null);
        created.GetProperty("muted").GetBoolean().ShouldBeFalse();

        (await GetAsync(org.Viewer, alertId)).GetProperty("name").GetString().ShouldBe("Rows watch");

        using (var patched = await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{alertId}", new JsonObject { ["rearm_seconds"] = 3600, ["muted"] = true, ["name"] = "Renamed" }))
        {
            var text = await patched.Content.ReadAsStringAsync(Ct);
            patched.StatusCode.ShouldBe(HttpStatusCode.OK, text);
            var alert = JsonDocument.Parse(text).RootElement;
            alert.GetProperty("rearm_seconds").GetInt32().ShouldBe(3600);
            alert.GetProperty("muted").GetBoolean().ShouldBeTrue();
            alert.GetProperty("name").GetString().ShouldBe("Renamed");
        }

        using (var stale = await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{alertId}", new JsonObject { ["name"] = "Stale" }, "\"1\""))
        {
            await stale.ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed);
        }

        using (var archived = await SendAsync(org.Editor, HttpMethod.Delete, $"{Url}/{alertId}"))
        {
            archived.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        (await IdentityApi.GetRowsAsync(org.Viewer.Client, Url)).ShouldBeEmpty();
        (await IdentityApi.GetRowsAsync(org.Viewer.Client, $"{Url}?status=archived")).ShouldHaveSingleItem().GetProperty("status").GetString().ShouldBe("archived");
        using (var refused = await SendAsync(org.Editor, HttpMethod.Patch, $"{Url}/{alertId}", new JsonObject { ["name"] = "While archived" }))
        {
            (await refused.ShouldBeProblemAsync(HttpStatusCode.Conflict)).GetProperty("code").GetString().ShouldBe("alert.archived");
        }

        using (var restored = await SendAsync(org.Editor, HttpMethod.Post, $"{Url}/{alertId}/restore"))
        {
            restored.StatusCode.ShouldBe(HttpStatusCode.OK, await restored.Content.ReadAsStringAsync(Ct));
        }

        var listed = (await IdentityApi.GetRowsAsync(org.Viewer.Client, $"{Url}?query_id={queryId}")).ShouldHaveSingleItem();
        listed.GetProperty("id").GetGuid().ShouldBe(alertId);
        listed.GetProperty("status").GetString().ShouldBe("active");
    }
}
