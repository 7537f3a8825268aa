using Loupe.Application.Common.Events;
using Loupe.Application.Common.Persistence;
using Loupe.Domain.Organizations;
using Loupe.Infrastructure.Persistence;
using Loupe.Integration.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Loupe.Integration.Tests.Persistence;

/// <summary>
/// Domain events reach their listeners only after the transaction that made them true has committed
/// (ADR 0046): never for a save that failed, never for a transaction rolled back, once for one that committed.
/// </summary>
public sealed class DomainEventDispatchTests(DatabaseFixture database) : ResetBeforeEachTest(database), IClassFixture<DatabaseFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ASaveThatCommits_HandsTheEventOverOnce_WhenTheRowIsAlreadyStored()
    {
        var organization = Organization.Create(Guid.CreateVersion7(), "Committed", TenantData.Epoch);
        var listener = new RecordingListener(database.AppConnection);
        await using var context = Context(organization.Id, listener);

        context.Organizations.Add(organization);
        await context.SaveChangesAsync(Ct);

        listener.Seen.ShouldBe([new OrganizationCreated(organization.Id, "Committed", TenantData.Epoch)]);
        listener.StoredWhenSeen.ShouldBe([true]);

        // A later save of the same aggregate hands nothing over again.
        await context.SaveChangesAsync(Ct);
        listener.Seen.Count.ShouldBe(1);
    }

    [Fact]
    public async Task ASaveThatFails_HandsNothingOver()
    {
        var stored = await TenantData.CreateOrganizationAsync(database.AppConnection, "First");
        var duplicate = Organization.Create(stored.Id, "Same id", TenantData.Epoch);
        var listener = new RecordingListener(database.AppConnection);
        await using var context = Context(stored.Id, listener);

        context.Organizations.Add(duplicate);
        await Should.ThrowAsync<DbUpdateException>(() => context.SaveChangesAsync(Ct));

        listener.Seen.ShouldBeEmpty();
    }

    [Fact]
    public async Task ATransactionRolledBack_HandsNothingOver_EvenForASaveInsideIt()
    {
        var organization = Organization.Create(Guid.CreateVersion7(), "Rolled back", TenantData.Epoch);
        var listener = new RecordingListener(database.AppConnection);
        await using var context = Context(organization.Id, listener);
        IUnitOfWork unitOfWork = context;

        await Should.ThrowAsync<InvalidOperationException>(() => unitOfWork.InTransactionAsync<int>(
            async () =>
            {
                context.Organizations.Add(organization);
                await context.SaveChangesAsync(Ct);
                listener.Seen.ShouldBeEmpty();
                throw new InvalidOperationException("Something after the save fails.");
            },
            Ct));

        listener.Seen.ShouldBeEmpty();
        (await CountOrganizationsAsync(organization.Id)).ShouldBe(0);
    }

    [Fact]
    public async Task ATransactionThatCommits_HandsTheEventsOfItsSavesOverAfterTheCommit()
    {
        var organization = Organization.Create(Guid.CreateVersion7(), "In a transaction", TenantData.Epoch);
        var listener = new RecordingListener(database.AppConnection);
        await using var context = Context(organization.Id, listener);
        IUnitOfWork unitOfWork = context;

        await unitOfWork.InTransactionAsync(
            async () =>
            {
                context.Organizations.Add(organization);
                await context.SaveChangesAsync(Ct);
                listener.Seen.ShouldBeEmpty();
                return 0;
            },
            Ct);

        listener.Seen.ShouldHaveSingleItem().OrganizationId.ShouldBe(organization.Id);
        listener.StoredWhenSeen.ShouldBe([true]);
    }

    private static LoupeDbContext Context(Guid organizationId, RecordingListener listener)
    {
        var services = new ServiceCollection()
            .AddSingleton<IDomainEventListener<OrganizationCreated>>(listener)
            .BuildServiceProvider();
        var tenant = new FixedTenant(organizationId);
        return new LoupeDbContext(
            new DbContextOptionsBuilder<LoupeDbContext>()
                .UseNpgsql(listener.AppConnection)
                .AddInterceptors(new Infrastructure.Tenancy.TenantCommandInterceptor(tenant))
                .Options,
            tenant,
            new DomainEventDispatcher(services, NullLogger<DomainEventDispatcher>.Instance));
    }

    private async Task<long> CountOrganizationsAsync(Guid id)
    {
        await using var connection = new NpgsqlConnection(database.OwnerConnection);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM organizations WHERE id = $1", connection) { Parameters = { new() { Value = id } } };
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    /// <summary>Records each event it is handed, and whether its organization could be read then from another connection (committed).</summary>
    private sealed class RecordingListener(string appConnection) : IDomainEventListener<OrganizationCreated>
    {
        public string AppConnection { get; } = appConnection;

        public List<OrganizationCreated> Seen { get; } = [];

        public List<bool> StoredWhenSeen { get; } = [];

        public async Task HandleAsync(OrganizationCreated domainEvent, CancellationToken cancellationToken)
        {
            Seen.Add(domainEvent);
            await using var context = TenantData.Context(AppConnection, domainEvent.OrganizationId);
            StoredWhenSeen.Add(await context.Organizations.AnyAsync(o => o.Id == domainEvent.OrganizationId, cancellationToken));
        }
    }
}
