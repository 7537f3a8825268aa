using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Loupe.Application.Common.Events;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Webhooks;
using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Runs;
using Loupe.Integration.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Loupe.Integration.Tests.Webhooks;

/// <summary>
/// Runs that finish are told to the webhooks that want them: signed, with one idempotency key across
/// retries, 410 disabling the webhook, redirects not followed, every attempt in the delivery log.
/// </summary>
public sealed class WebhookDeliveryTests(WebhookHost host) : ResetBeforeEachTest(host), IClassFixture<WebhookHost>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);
    private readonly IdentityApi _api = host.Api;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ARunThatSucceeds_IsDeliveredSigned_AndRetriedUnderTheSameKey_UntilTheReceiverTakesIt()
    {
        await using var receiver = new TestReceiver { Answer = (n, _) => n == 1 ? 503 : 200 };
        var (admin, secret, webhookId) = await WebhookAsync(receiver.Url, "run.succeeded", "run.failed");
        var dataSource = (await IdentityApi.CreateReachableDataSourceAsync(admin)).GetProperty("id").GetGuid();

        var runId = (await RunsApi.StartAsync(admin, dataSource, "select 1 as one")).GetProperty("id").GetGuid();
        await RunsApi.FinishedAsync(admin, runId);
        await Eventually.HoldsAsync(() => receiver.Requests.Count >= 2, Within, "the receiver got the delivery and its retry");

        var requests = receiver.Requests.ToArray();
        requests.Select(r => r.Header("X-Loupe-Delivery")).Distinct().ShouldHaveSingleItem();
        foreach (var request in requests)
        {
            request.Method.ShouldBe("POST");
            request.Header("X-Loupe-Event").ShouldBe(WebhookEvents.RunSucceeded);
            var timestamp = long.Parse(request.Header("X-Loupe-Timestamp"), System.Globalization.CultureInfo.InvariantCulture);
            WebhookSignature.Verify(secret, timestamp, request.Body, request.Header("X-Loupe-Signature")).ShouldBeTrue();
        }

        using var body = JsonDocument.Parse(requests[^1].Body);
        body.RootElement.GetProperty("type").GetString().ShouldBe("run.succeeded");
        var data = body.RootElement.GetProperty("data");
        data.GetProperty("run_id").GetGuid().ShouldBe(runId);
        data.GetProperty("status").GetString().ShouldBe("succeeded");
        data.GetProperty("row_count").GetInt64().ShouldBe(1);
        Encoding.UTF8.GetString(requests[^1].Body).ShouldNotContain("select 1");

        var delivery = await Eventually.HoldsAsync(
            async () => (await IdentityApi.GetRowsAsync(admin.Client, $"/api/v1/webhooks/{webhookId}/deliveries")).SingleOrDefault(),
            d => d.ValueKind == JsonValueKind.Object && d.GetProperty("status").GetString() == "succeeded",
            Within,
            "the delivery is recorded as succeeded");
        delivery.GetProperty("id").GetString().ShouldBe(requests[0].Header("X-Loupe-Delivery"));
        delivery.GetProperty("attempts").GetInt32().ShouldBe(2);
        delivery.GetProperty("response_code").GetInt32().ShouldBe(200);
        delivery.GetProperty("next_attempt_at").ValueKind.ShouldBe(JsonValueKind.Null);
        (await CountAsync("SELECT count(*) FROM outbox_events WHERE event_type = 'run.succeeded'")).ShouldBe(1);

        // Redelivered: the same key once more.
        using var redeliver = await admin.Client.PostAsync($"/api/v1/deliveries/{delivery.GetProperty("id").GetGuid()}/redeliver", null, Ct);
        redeliver.StatusCode.ShouldBe(HttpStatusCode.OK, await redeliver.Content.ReadAsStringAsync(Ct));
        await Eventually.HoldsAsync(() => receiver.Requests.Count >= 3, Within, "the redelivery arrived");
        receiver.Requests.ToArray()[^1].Header("X-Loupe-Delivery").ShouldBe(requests[0].Header("X-Loupe-Delivery"));
    }

    [Fact]
    public async Task ARunThatFails_IsDeliveredAsRunFailed_WithItsCodeButNotItsSqlOrMessage()
    {
        await using var receiver = new TestReceiver();
        var (admin, _, _) = await WebhookAsync(receiver.Url, "run.failed");
        var dataSource = (await IdentityApi.CreateReachableDataSourceAsync(admin)).GetProperty("id").GetGuid();

        var runId = (await RunsApi.StartAsync(admin, dataSource, "select secret_column from no_such_table")).GetProperty("id").GetGuid();
        (await RunsApi.FinishedAsync(admin, runId)).GetProperty("status").GetString().ShouldBe("failed");
        await Eventually.HoldsAsync(() => !receiver.Requests.IsEmpty, Within, "the receiver got run.failed");

        var request = receiver.Requests.ToArray().ShouldHaveSingleItem();
        request.Header("X-Loupe-Event").ShouldBe("run.failed");
        var text = Encoding.UTF8.GetString(request.Body);
        text.ShouldNotContain("no_such_table");
        text.ShouldNotContain("secret_column");
        using var body = JsonDocument.Parse(request.Body);
        body.RootElement.GetProperty("data").GetProperty("error_code").GetString().ShouldBe("42P01");
    }

    [Fact]
    public async Task A410_DisablesTheWebhook_AndIsAudited()
    {
        await using var receiver = new TestReceiver { Answer = (_, _) => 410 };
        var (admin, _, webhookId) = await WebhookAsync(receiver.Url, "run.succeeded");
        var dataSource = (await IdentityApi.CreateReachableDataSourceAsync(admin)).GetProperty("id").GetGuid();

        await RunsApi.FinishedAsync(admin, (await RunsApi.StartAsync(admin, dataSource, "select 1")).GetProperty("id").GetGuid());

        var webhook = await Eventually.HoldsAsync(
            () => IdentityApi.GetOkAsync(admin.Client, $"/api/v1/webhooks/{webhookId}"),
            w => !w.GetProperty("enabled").GetBoolean(),
            Within,
            "the webhook disabled itself");
        webhook.GetProperty("disabled_reason").GetString().ShouldBe("gone");
        receiver.Requests.Count.ShouldBe(1);
        (await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/audit-events?action=webhook.disabled")).ShouldHaveSingleItem();
        var delivery = (await IdentityApi.GetRowsAsync(admin.Client, $"/api/v1/webhooks/{webhookId}/deliveries")).ShouldHaveSingleItem();
        delivery.GetProperty("status").GetString().ShouldBe("failed");
        delivery.GetProperty("response_code").GetInt32().ShouldBe(410);
    }

    [Fact]
    public async Task ARedirect_IsNotFollowed_ButTriedAgain_AndAfterSixAttemptsDeadLettered_CountingAgainstTheWebhook()
    {
        await using var elsewhere = new TestReceiver();
        await using var receiver = new TestReceiver { Answer = (_, _) => 302, Location = elsewhere.Url };
        var (admin, _, webhookId) = await WebhookAsync(receiver.Url, "run.succeeded");
        var dataSource = (await IdentityApi.CreateReachableDataSourceAsync(admin)).GetProperty("id").GetGuid();

        await RunsApi.FinishedAsync(admin, (await RunsApi.StartAsync(admin, dataSource, "select 1")).GetProperty("id").GetGuid());

        var delivery = await Eventually.HoldsAsync(
            async () => (await IdentityApi.GetRowsAsync(admin.Client, $"/api/v1/webhooks/{webhookId}/deliveries")).SingleOrDefault(),
            d => d.ValueKind == JsonValueKind.Object && d.GetProperty("status").GetString() == "dead_lettered",
            Within,
            "the delivery is dead-lettered");
        delivery.GetProperty("attempts").GetInt32().ShouldBe(WebhookDelivery.MaxAttempts);
        delivery.GetProperty("response_code").GetInt32().ShouldBe(302);
        receiver.Requests.Count.ShouldBe(WebhookDelivery.MaxAttempts);
        elsewhere.Requests.ShouldBeEmpty();
        (await IdentityApi.GetOkAsync(admin.Client, $"/api/v1/webhooks/{webhookId}")).GetProperty("consecutive_failures").GetInt32().ShouldBe(1);
        var filtered = await IdentityApi.GetRowsAsync(admin.Client, $"/api/v1/webhooks/{webhookId}/deliveries?status=succeeded");
        filtered.ShouldBeEmpty();
    }

    [Fact]
    public async Task TheTestEndpoint_SendsASignedTestEvent_AndAnswersWhatTheReceiverSaid()
    {
        await using var receiver = new TestReceiver { Answer = (_, _) => 418 };
        var (admin, secret, webhookId) = await WebhookAsync(receiver.Url, "alert.triggered");

        using var response = await admin.Client.PostAsync($"/api/v1/webhooks/{webhookId}/test", null, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        answer.GetProperty("succeeded").GetBoolean().ShouldBeFalse();
        answer.GetProperty("response_code").GetInt32().ShouldBe(418);
        var request = receiver.Requests.ToArray().ShouldHaveSingleItem();
        request.Header("X-Loupe-Event").ShouldBe("webhook.test");
        WebhookSignature.Verify(secret, long.Parse(request.Header("X-Loupe-Timestamp"), System.Globalization.CultureInfo.InvariantCulture), request.Body, request.Header("X-Loupe-Signature"))
            .ShouldBeTrue();
        (await IdentityApi.GetRowsAsync(admin.Client, $"/api/v1/webhooks/{webhookId}/deliveries")).ShouldBeEmpty();
    }

    [Fact]
    public async Task TheTestEndpoint_OfASecretNoConfiguredKeyOpens_IsA409ToRotateIt_AndRotatingMendsIt()
    {
        await using var receiver = new TestReceiver();
        var (admin, _, webhookId) = await WebhookAsync(receiver.Url, "alert.triggered");
        // The key it was encrypted under is no longer configured (as after an operator removed it).
        (await ExecuteAsync($"UPDATE webhooks SET secret_key_id = 'retired' WHERE id = '{webhookId}'")).ShouldBe(1);

        using var refused = await admin.Client.PostAsync($"/api/v1/webhooks/{webhookId}/test", null, Ct);
        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict, await refused.Content.ReadAsStringAsync(Ct));
        refused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
        problem.GetProperty("code").GetString().ShouldBe("webhook.secret_unreadable");
        problem.GetProperty("detail").GetString()!.ShouldContain("rotate");
        receiver.Requests.ShouldBeEmpty();

        using var rotate = await admin.Client.PostAsync($"/api/v1/webhooks/{webhookId}/rotate-secret", null, Ct);
        rotate.StatusCode.ShouldBe(HttpStatusCode.OK, await rotate.Content.ReadAsStringAsync(Ct));
        var secret = (await rotate.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("secret").GetString()!;

        using var tested = await admin.Client.PostAsync($"/api/v1/webhooks/{webhookId}/test", null, Ct);
        tested.StatusCode.ShouldBe(HttpStatusCode.OK, await tested.Content.ReadAsStringAsync(Ct));
        (await tested.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("succeeded").GetBoolean().ShouldBeTrue();
        var request = receiver.Requests.ToArray().ShouldHaveSingleItem();
        WebhookSignature.Verify(secret, long.Parse(request.Header("X-Loupe-Timestamp"), System.Globalization.CultureInfo.InvariantCulture), request.Body, request.Header("X-Loupe-Signature"))
            .ShouldBeTrue();
    }

    [Fact]
    public async Task AtDelivery_TheAddressConnectedTo_IsCheckedAgain()
    {
        // "localhost" resolves to 127.0.0.1, allowed only as the literal address by this host's list:
        // a name that resolves to a refused address is refused at connect time, whatever was saved.
        await using var receiver = new TestReceiver();
        var strict = new Loupe.Infrastructure.Webhooks.HttpWebhookSender(
            Loupe.Application.Webhooks.WebhookSettings.Default with { AllowHttp = true }, TimeProvider.System);
        using (strict)
        {
            var result = await strict.SendAsync(
                new Loupe.Application.Webhooks.WebhookMessage(new Uri($"http://localhost:{receiver.Port}/hook"), "webhook.test", Guid.NewGuid(), "whsec_x", "{}"u8.ToArray()), Ct);

            result.AddressRefused.ShouldBeTrue();
            result.ResponseCode.ShouldBeNull();
        }

        receiver.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task AnAlertEvent_GoesToTheSubscribedWebhooks_AndToTheEnabledOnesItNames_EachOnce()
    {
        await using var subscribed = new TestReceiver();
        await using var named = new TestReceiver();
        await using var both = new TestReceiver();
        await using var namedButDisabled = new TestReceiver();
        await using var neither = new TestReceiver();
        var admin = await _api.Identity.RegisterAsync();
        var subscribedId = await AddAsync(admin, subscribed.Url, ["alert.triggered"]);
        var namedId = await AddAsync(admin, named.Url, ["run.failed"]);
        var bothId = await AddAsync(admin, both.Url, ["alert.triggered"]);
        var disabledId = await AddAsync(admin, namedButDisabled.Url, ["alert.triggered"], enabled: false);
        await AddAsync(admin, neither.Url, ["run.failed"]);

        await using (var scope = _api.Factory.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<ITenantScope>().Enter(admin.OrganizationId);
            scope.ServiceProvider.GetRequiredService<IEventOutbox>().Add(
                WebhookEvents.AlertTriggered, admin.OrganizationId, new { AlertId = Guid.CreateVersion7(), WebhookIds = new[] { namedId, bothId, disabledId } });
            await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(Ct);
        }

        await Eventually.HoldsAsync(
            () => subscribed.DeliveredKeys.Count == 1 && named.DeliveredKeys.Count == 1 && both.DeliveredKeys.Count == 1,
            Within,
            "the subscribed, the named, and the subscribed-and-named webhook each got the event");
        (await CountAsync("SELECT count(*) FROM webhook_deliveries")).ShouldBe(3);
        both.Requests.Count.ShouldBe(1);
        namedButDisabled.Requests.ShouldBeEmpty();
        neither.Requests.ShouldBeEmpty();
        subscribed.Requests.Single().Header("X-Loupe-Event").ShouldBe(WebhookEvents.AlertTriggered);
        _ = subscribedId;
    }

    [Fact]
    public async Task DeliveriesThatFailInARow_DisableTheWebhook_WithAnAuditEvent_AndEnablingStartsTheCountAgain()
    {
        // This host disables a webhook after three failed deliveries in a row; a 400 fails one at once.
        await using var receiver = new TestReceiver { Answer = (_, _) => 400 };
        var (admin, _, webhookId) = await WebhookAsync(receiver.Url, "run.succeeded");
        await using (var scope = _api.Factory.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<ITenantScope>().Enter(admin.OrganizationId);
            var outbox = scope.ServiceProvider.GetRequiredService<IEventOutbox>();
            for (var i = 0; i < 3; i++)
            {
                outbox.Add(WebhookEvents.RunSucceeded, admin.OrganizationId, new { RunId = Guid.CreateVersion7() });
            }

            await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(Ct);
        }

        var webhook = await Eventually.HoldsAsync(
            () => IdentityApi.GetOkAsync(admin.Client, $"/api/v1/webhooks/{webhookId}"),
            w => !w.GetProperty("enabled").GetBoolean(),
            Within,
            "the webhook disabled itself");
        webhook.GetProperty("disabled_reason").GetString().ShouldBe("too_many_failures");
        webhook.GetProperty("consecutive_failures").GetInt32().ShouldBe(3);
        var audited = (await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/audit-events?action=webhook.disabled")).ShouldHaveSingleItem();
        audited.GetRawText().ShouldContain("too_many_failures");
        (await IdentityApi.GetRowsAsync(admin.Client, $"/api/v1/webhooks/{webhookId}/deliveries?status=failed")).Count.ShouldBe(3);

        using var enable = await admin.Client.PatchAsJsonAsync($"/api/v1/webhooks/{webhookId}", new { enabled = true }, Ct);
        enable.StatusCode.ShouldBe(HttpStatusCode.OK, await enable.Content.ReadAsStringAsync(Ct));
        using var enabled = JsonDocument.Parse(await enable.Content.ReadAsStringAsync(Ct));
        enabled.RootElement.GetProperty("enabled").GetBoolean().ShouldBeTrue();
        enabled.RootElement.GetProperty("consecutive_failures").GetInt32().ShouldBe(0);
        enabled.RootElement.GetProperty("disabled_reason").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task TheSigningSecret_IsNeverInAJobPayload_ADeliveryBody_OrALogLine()
    {
        await using var receiver = new TestReceiver { Answer = (n, _) => n == 1 ? 500 : 200 };
        var (admin, secret, _) = await WebhookAsync(receiver.Url, "run.succeeded");
        var dataSource = (await IdentityApi.CreateReachableDataSourceAsync(admin)).GetProperty("id").GetGuid();
        var runId = (await RunsApi.StartAsync(admin, dataSource, "select 1 as one")).GetProperty("id").GetGuid();
        await RunsApi.FinishedAsync(admin, runId);
        await Eventually.HoldsAsync(() => receiver.DeliveredKeys.Count == 1, Within, "delivered after one retry");

        var key = secret["whsec_".Length..];
        (await CountAsync($"SELECT count(*) FROM jobs WHERE kind LIKE 'webhook.%' AND payload::text LIKE '%{key}%'")).ShouldBe(0);
        // The fan-out (which made the first attempt) and the retry's job were both looked at.
        (await CountAsync("SELECT count(*) FROM jobs WHERE kind = 'webhook.fan_out'")).ShouldBe(1);
        (await CountAsync("SELECT count(*) FROM jobs WHERE kind = 'webhook.deliver'")).ShouldBe(1);
        (await CountAsync($"SELECT count(*) FROM outbox_events WHERE payload::text LIKE '%{key}%'")).ShouldBe(0);
        receiver.Requests.ShouldAllBe(r => !Encoding.UTF8.GetString(r.Body).Contains(key, StringComparison.Ordinal));
        _api.Factory.Logs.Lines.ShouldAllBe(line => !line.Message.Contains(key, StringComparison.Ordinal));
    }

    private static async Task<Guid> AddAsync(Member admin, string url, string[] events, bool enabled = true) =>
        (await IdentityApi.PostCreatedAsync(admin, "/api/v1/webhooks", new { name = "Receiver", url, events, enabled }))
            .GetProperty("webhook").GetProperty("id").GetGuid();

    private async Task<(Member Admin, string Secret, Guid WebhookId)> WebhookAsync(string url, params string[] events)
    {
        var admin = await _api.Identity.RegisterAsync();
        var created = await IdentityApi.PostCreatedAsync(admin, "/api/v1/webhooks", new { name = "Receiver", url, events });
        return (admin, created.GetProperty("secret").GetString()!, created.GetProperty("webhook").GetProperty("id").GetGuid());
    }

    private async Task<int> ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_api.OwnerConnection);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync(Ct);
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_api.OwnerConnection);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }
}
