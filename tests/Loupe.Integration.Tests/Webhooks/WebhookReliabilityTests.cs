using Loupe.Application.Common.Events;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Webhooks;
using Loupe.Integration.Tests.Jobs;
using Loupe.Integration.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Loupe.Integration.Tests.Webhooks;

/// <summary>
/// Deliveries survive what operators do to a running system: a node stopped (SIGTERM) while deliveries
/// are in flight hands them back and another node delivers them; PostgreSQL restarted in the middle of
/// deliveries loses none. Counted at the receiver by idempotency key and in the rows.
/// </summary>
[Collection(JobEngineSerial.Name)]
public sealed class WebhookReliabilityTests : IAsyncLifetime
{
    private const int Events = 30;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static readonly Dictionary<string, string?> DeliverySettings = new()
    {
        ["Webhooks:AllowHttp"] = "true",
        ["Webhooks:AllowedHosts:0"] = "127.0.0.1",
        ["Webhooks:RetryBaseSeconds"] = "0.05",
        ["Webhooks:RetryMaxSeconds"] = "0.2",
        ["Jobs:MaxRunningPerOrganization"] = "8",
    };

    private readonly ScratchDatabases _databases = new();
    private string? _restartable;
    private bool _stopped;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_stopped)
        {
            await RestartablePostgres.StartAsync();
        }

        NpgsqlConnection.ClearAllPools();
        if (_restartable is not null)
        {
            await RestartablePostgres.DropDatabaseQuietlyAsync(_restartable);
        }

        await _databases.DisposeAsync();
    }

    [Fact]
    public async Task ANodeStoppedWhileDeliveriesAreInFlight_HandsThemBack_AndAnotherNodeDeliversEveryOne()
    {
        var database = await _databases.MigratedAsync();
        await using var receiver = new TestReceiver { Delay = TimeSpan.FromMilliseconds(1500) };
        var settings = new Dictionary<string, string?>(DeliverySettings) { ["Jobs:ShutdownGraceSeconds"] = "0" };
        var organization = await TenantData.CreateOrganizationAsync(TestPostgres.AppConnection(database));
        await using var first = JobNode.Create(database, "webhooks-first", settings: settings);
        await AddWebhookAsync(first.Services, organization.Id, receiver.Url);
        await AddEventsAsync(first.Services, organization.Id);

        await first.StartAsync();
        await Eventually.HoldsAsync(() => !receiver.Requests.IsEmpty && Running(database) > 0, Patience, "deliveries answered and others in flight");
        await first.StopAsync();
        var deliveredBeforeStop = receiver.DeliveredKeys.Count;
        deliveredBeforeStop.ShouldBeLessThan(Events, "the stop came while deliveries were still to be made");

        receiver.Delay = TimeSpan.Zero;
        await using var second = JobNode.Create(database, "webhooks-second", settings: settings);
        await second.StartAsync();
        await Eventually.HoldsAsync(() => receiver.DeliveredKeys.Count == Events, Patience, "every event reached the receiver");
        await Eventually.HoldsAsync(
            async () => await CountAsync(TestPostgres.OwnerConnection(database), "SELECT count(*) FROM webhook_deliveries WHERE status = 'succeeded'") == Events,
            Patience,
            "every delivery is recorded as succeeded");
        (await CountAsync(TestPostgres.OwnerConnection(database), "SELECT count(*) FROM webhook_deliveries")).ShouldBe(Events);
    }

    [Fact]
    public async Task PostgresRestartedDuringDeliveries_LosesNone()
    {
        Assert.SkipWhen(RestartablePostgres.MissingReason is not null, RestartablePostgres.MissingReason ?? string.Empty);
        _restartable = await RestartablePostgres.CreateMigratedDatabaseAsync();
        await using var receiver = new TestReceiver { Delay = TimeSpan.FromMilliseconds(100) };
        var organizationId = await CreateOrganizationAsync(RestartablePostgres.Unpooled(RestartablePostgres.OwnerConnection(_restartable)));
        await using var node = JobNode.Create(
            _restartable,
            "webhooks-restart",
            settings: new Dictionary<string, string?>(DeliverySettings)
            {
                ["ConnectionStrings:Loupe"] = RestartablePostgres.AppConnection(_restartable),
                ["ConnectionStrings:LoupeOwner"] = RestartablePostgres.OwnerConnection(_restartable),
                ["Jobs:RetryBaseSeconds"] = "0.2",
                ["Jobs:RetryMaxSeconds"] = "1",
            });
        await AddWebhookAsync(node.Services, organizationId, receiver.Url);
        await AddEventsAsync(node.Services, organizationId);

        await node.StartAsync();
        await Eventually.HoldsAsync(() => receiver.DeliveredKeys.Count >= 3, Patience, "some deliveries made before the restart");
        await RestartablePostgres.StopAsync();
        _stopped = true;
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);
        await RestartablePostgres.StartAsync();
        _stopped = false;

        await Eventually.HoldsAsync(() => receiver.DeliveredKeys.Count == Events, Patience, "every event reached the receiver after the restart");
        var owner = RestartablePostgres.Unpooled(RestartablePostgres.OwnerConnection(_restartable));
        await Eventually.HoldsAsync(
            async () => await CountAsync(owner, "SELECT count(*) FROM webhook_deliveries WHERE status = 'succeeded'") == Events,
            Patience,
            "every delivery is recorded as succeeded");
        (await CountAsync(owner, "SELECT count(*) FROM outbox_events")).ShouldBe(Events);
    }

    /// <summary>Jobs with deliveries in flight: fan-outs (which make the first attempts) and later attempts.</summary>
    private static long Running(string database)
    {
        using var connection = new NpgsqlConnection(TestPostgres.OwnerConnection(database));
        connection.Open();
        using var command = new NpgsqlCommand("SELECT count(*) FROM jobs WHERE kind IN ('webhook.fan_out', 'webhook.deliver') AND state = 'running'", connection);
        return (long)command.ExecuteScalar()!;
    }

    private static async Task AddWebhookAsync(IServiceProvider services, Guid organizationId, string url)
    {
        await using var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ITenantScope>().Enter(organizationId);
        var protector = scope.ServiceProvider.GetRequiredService<ISecretProtector>();
        scope.ServiceProvider.GetRequiredService<IRepository<Webhook>>().Add(Webhook.Create(
            Guid.CreateVersion7(), organizationId, "Receiver", WebhookUrl.Parse(url, allowHttp: true), [WebhookEvents.RunSucceeded], true,
            protector.Protect(WebhookSignature.NewSecret()), null, TenantData.Epoch));
        await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(Ct);
    }

    private static async Task AddEventsAsync(IServiceProvider services, Guid organizationId)
    {
        await using var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ITenantScope>().Enter(organizationId);
        var outbox = scope.ServiceProvider.GetRequiredService<IEventOutbox>();
        for (var i = 0; i < Events; i++)
        {
            outbox.Add(WebhookEvents.RunSucceeded, organizationId, new { RunId = Guid.CreateVersion7(), RowCount = i });
        }

        await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(Ct);
    }

    private static async Task<Guid> CreateOrganizationAsync(string ownerConnection)
    {
        var id = Guid.CreateVersion7();
        await using var connection = new NpgsqlConnection(ownerConnection);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(
            "INSERT INTO organizations (id, name, time_zone, created_at, updated_at) VALUES ($1, 'Restarted', 'UTC', now(), now())", connection)
        {
            Parameters = { new() { Value = id } },
        };
        await command.ExecuteNonQueryAsync(Ct);
        return id;
    }

    private static async Task<long> CountAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }
}
