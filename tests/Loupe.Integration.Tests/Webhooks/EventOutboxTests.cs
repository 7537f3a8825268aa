using System.Text.Json;
using Loupe.Application.Common.Events;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Webhooks;
using Loupe.Infrastructure.Persistence;
using Loupe.Integration.Tests.Jobs;
using Loupe.Integration.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Loupe.Integration.Tests.Webhooks;

/// <summary>
/// An event staged in the outbox is written by the transaction of the change that causes it: a
/// transaction rolled back leaves no event, one that commits leaves exactly one.
/// </summary>
public sealed class EventOutboxTests(DatabaseFixture database) : ResetBeforeEachTest(database), IClassFixture<DatabaseFixture>
{
    private readonly JobNode _node = JobNode.Create(database.Name, "outbox-tests", withEngine: false);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public override async ValueTask DisposeAsync()
    {
        await _node.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task AnEventInATransactionRolledBack_IsNeverStored()
    {
        var organization = await TenantData.CreateOrganizationAsync(database.AppConnection);
        await using var scope = Enter(organization.Id);
        var unitOfWork = scope.ServiceProvider.GetRequiredService<IUnitOfWork>();
        var context = scope.ServiceProvider.GetRequiredService<LoupeDbContext>();

        await Should.ThrowAsync<InvalidOperationException>(() => unitOfWork.InTransactionAsync<int>(
            async () =>
            {
                (await context.Organizations.SingleAsync(Ct)).Rename("Renamed", TenantData.Epoch.AddDays(1));
                scope.ServiceProvider.GetRequiredService<IEventOutbox>().Add(WebhookEvents.RunFailed, organization.Id, new { RunId = Guid.NewGuid() });
                await unitOfWork.SaveChangesAsync(Ct);
                (await CountEventsAsync()).ShouldBe(0, "not visible before the commit");
                throw new InvalidOperationException("the use case failed after saving");
            },
            Ct));

        (await CountEventsAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task AnEventInATransactionThatCommits_IsStoredExactlyOnce_AsSnakeCaseJson()
    {
        var organization = await TenantData.CreateOrganizationAsync(database.AppConnection);
        var runId = Guid.CreateVersion7();
        await using (var scope = Enter(organization.Id))
        {
            var unitOfWork = scope.ServiceProvider.GetRequiredService<IUnitOfWork>();
            var context = scope.ServiceProvider.GetRequiredService<LoupeDbContext>();
            await unitOfWork.InTransactionAsync(
                async () =>
                {
                    (await context.Organizations.SingleAsync(Ct)).Rename("Renamed", TenantData.Epoch.AddDays(1));
                    scope.ServiceProvider.GetRequiredService<IEventOutbox>().Add(WebhookEvents.RunSucceeded, organization.Id, new { RunId = runId, RowCount = 3 });
                    await unitOfWork.SaveChangesAsync(Ct);
                    return 0;
                },
                Ct);

            // A later save of the same unit of work writes it no second time.
            await unitOfWork.SaveChangesAsync(Ct);
        }

        (await CountEventsAsync()).ShouldBe(1);
        var (type, payload) = await SingleEventAsync();
        type.ShouldBe(WebhookEvents.RunSucceeded);
        using var json = JsonDocument.Parse(payload);
        json.RootElement.GetProperty("run_id").GetGuid().ShouldBe(runId);
        json.RootElement.GetProperty("row_count").GetInt32().ShouldBe(3);
    }

    [Fact]
    public async Task ASaveThatFails_StoresNoEvent()
    {
        var organization = await TenantData.CreateOrganizationAsync(database.AppConnection);
        await using var scope = Enter(organization.Id);
        var context = scope.ServiceProvider.GetRequiredService<LoupeDbContext>();
        var duplicate = Domain.Organizations.Organization.Create(organization.Id, "Same id", TenantData.Epoch);

        context.Organizations.Add(duplicate);
        scope.ServiceProvider.GetRequiredService<IEventOutbox>().Add(WebhookEvents.AlertTriggered, organization.Id, new { AlertId = Guid.NewGuid() });
        await Should.ThrowAsync<ConflictException>(() => scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(Ct));

        (await CountEventsAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task AnUnknownEventType_OrAnotherOrganization_IsRefused()
    {
        var organization = await TenantData.CreateOrganizationAsync(database.AppConnection);
        await using var scope = Enter(organization.Id);
        var outbox = scope.ServiceProvider.GetRequiredService<IEventOutbox>();

        Should.Throw<ArgumentException>(() => outbox.Add("run.exploded", organization.Id, new { }));
        Should.Throw<InvalidOperationException>(() => outbox.Add(WebhookEvents.RunFailed, Guid.NewGuid(), new { }));
    }

    private AsyncServiceScope Enter(Guid organizationId)
    {
        var scope = _node.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ITenantScope>().Enter(organizationId);
        return scope;
    }

    private async Task<long> CountEventsAsync()
    {
        await using var connection = new NpgsqlConnection(database.OwnerConnection);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM outbox_events", connection);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    private async Task<(string Type, string Payload)> SingleEventAsync()
    {
        await using var connection = new NpgsqlConnection(database.OwnerConnection);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT event_type, payload::text FROM outbox_events", connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        (await reader.ReadAsync(Ct)).ShouldBeTrue();
        return (reader.GetString(0), reader.GetString(1));
    }
}
