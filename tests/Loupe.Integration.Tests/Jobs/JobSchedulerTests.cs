using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Organizations;
using Loupe.Infrastructure.Persistence;
using Loupe.Integration.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Loupe.Integration.Tests.Jobs;

/// <summary>Enqueueing is part of the use case's unit of work: saved with it, rolled back with it, never breaking it.</summary>
[Collection(JobEngineSerial.Name)]
public sealed class JobSchedulerTests : IAsyncLifetime
{
    private readonly ScratchDatabases _databases = new();
    private string _database = string.Empty;
    private JobNode _node = null!;

    public async ValueTask InitializeAsync()
    {
        _database = await _databases.MigratedAsync();
        _node = JobNode.Create(_database, "node-a", withEngine: false);
    }

    public async ValueTask DisposeAsync()
    {
        await _node.DisposeAsync();
        await _databases.DisposeAsync();
    }

    [Fact]
    public async Task AJob_IsStoredByTheSave_TogetherWithTheRowsItNames()
    {
        await using var scope = _node.Services.CreateAsyncScope();
        var organization = Organization.Create(Guid.CreateVersion7(), "Fresh", TenantData.Epoch);
        scope.ServiceProvider.GetRequiredService<ITenantScope>().Enter(organization.Id);
        var context = scope.ServiceProvider.GetRequiredService<LoupeDbContext>();
        context.Organizations.Add(organization);

        var id = scope.ServiceProvider.GetRequiredService<IJobScheduler>().Enqueue(new JobRequest("test.welcome", """{"n":1}""", organization.Id));
        (await JobRows.FindAsync(_database, id)).ShouldBeNull();
        await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(TestContext.Current.CancellationToken);

        var row = await JobRows.GetAsync(_database, id);
        row.State.ShouldBe("queued");
        row.OrganizationId.ShouldBe(organization.Id);
        row.Attempt.ShouldBe(0);
        row.MaxAttempts.ShouldBe(3);
        id.Version.ShouldBe(7);
    }

    [Fact]
    public async Task AJob_IsRolledBackWithItsTransaction()
    {
        var organization = await TenantData.CreateOrganizationAsync(TestPostgres.AppConnection(_database));
        await using var scope = _node.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ITenantScope>().Enter(organization.Id);
        var unitOfWork = scope.ServiceProvider.GetRequiredService<IUnitOfWork>();
        var context = scope.ServiceProvider.GetRequiredService<LoupeDbContext>();
        var id = Guid.Empty;

        await Should.ThrowAsync<InvalidOperationException>(() => unitOfWork.InTransactionAsync<int>(
            async () =>
            {
                (await context.Organizations.SingleAsync()).Rename("Renamed", TenantData.Epoch.AddDays(1));
                id = scope.ServiceProvider.GetRequiredService<IJobScheduler>().Enqueue(new JobRequest("test.rolled-back", "{}", organization.Id));
                await unitOfWork.SaveChangesAsync(TestContext.Current.CancellationToken);
                throw new InvalidOperationException("the use case failed after saving");
            },
            TestContext.Current.CancellationToken));

        (await JobRows.FindAsync(_database, id)).ShouldBeNull();
        await using var check = TenantData.Context(TestPostgres.AppConnection(_database), organization.Id);
        (await check.Organizations.SingleAsync(TestContext.Current.CancellationToken)).Name.ShouldBe(organization.Name);
    }

    [Fact]
    public async Task ADuplicateUniqueKey_StoresNothing_AndTheRestOfTheSaveCommits()
    {
        var organization = await TenantData.CreateOrganizationAsync(TestPostgres.AppConnection(_database));
        var other = await TenantData.CreateOrganizationAsync(TestPostgres.AppConnection(_database), "Other");
        var first = (await _node.EnqueueAsync(organization.Id, new JobRequest("test.refresh", "{}", organization.Id, UniqueKey: "refresh:42")))[0];

        await using (var scope = _node.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<ITenantScope>().Enter(organization.Id);
            var context = scope.ServiceProvider.GetRequiredService<LoupeDbContext>();
            (await context.Organizations.SingleAsync(TestContext.Current.CancellationToken)).Rename("Renamed", TenantData.Epoch.AddDays(1));
            var scheduler = scope.ServiceProvider.GetRequiredService<IJobScheduler>();
            var duplicate = scheduler.Enqueue(new JobRequest("test.refresh", "{}", organization.Id, UniqueKey: "refresh:42"));
            var unrelated = scheduler.Enqueue(new JobRequest("test.refresh", "{}", organization.Id, UniqueKey: "refresh:43"));
            await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(TestContext.Current.CancellationToken);

            (await JobRows.FindAsync(_database, duplicate)).ShouldBeNull();
            (await JobRows.FindAsync(_database, unrelated)).ShouldNotBeNull();
        }

        await using var check = TenantData.Context(TestPostgres.AppConnection(_database), organization.Id);
        (await check.Organizations.SingleAsync(TestContext.Current.CancellationToken)).Name.ShouldBe("Renamed");

        // The key is the organization's own; once the first job is finished it is free again.
        var elsewhere = (await _node.EnqueueAsync(other.Id, new JobRequest("test.refresh", "{}", other.Id, UniqueKey: "refresh:42")))[0];
        (await JobRows.FindAsync(_database, elsewhere)).ShouldNotBeNull();
        (await _node.WithSchedulerAsync(organization.Id, s => s.CancelAsync(first, TestContext.Current.CancellationToken))).ShouldBe(JobCancellation.CancelledBeforeStart);
        var again = (await _node.EnqueueAsync(organization.Id, new JobRequest("test.refresh", "{}", organization.Id, UniqueKey: "refresh:42")))[0];
        (await JobRows.FindAsync(_database, again)).ShouldNotBeNull();
    }

    [Fact]
    public async Task AJobOfAnotherOrganizationThanTheCurrentOne_IsRefused()
    {
        var organization = await TenantData.CreateOrganizationAsync(TestPostgres.AppConnection(_database));
        var other = await TenantData.CreateOrganizationAsync(TestPostgres.AppConnection(_database), "Other");

        await Should.ThrowAsync<InvalidOperationException>(() => _node.EnqueueAsync(organization.Id, new JobRequest("test.x", "{}", other.Id)));
        await Should.ThrowAsync<InvalidOperationException>(() => _node.EnqueueAsync(organization.Id, new JobRequest("test.x", "{}", null)));
        await Should.ThrowAsync<InvalidOperationException>(() => _node.EnqueueAsync(null, new JobRequest("test.x", "{}", organization.Id)));
    }

    [Theory]
    [InlineData("Test.Upper", "{}", 3, "default")]
    [InlineData("", "{}", 3, "default")]
    [InlineData("test.x", "not json", 3, "default")]
    [InlineData("test.x", "", 3, "default")]
    [InlineData("test.x", "{} {}", 3, "default")]
    [InlineData("test.x", "{}", 0, "default")]
    [InlineData("test.x", "{}", 21, "default")]
    [InlineData("test.x", "{}", 3, "Reports")]
    public async Task AnInvalidRequest_IsRefused(string kind, string payload, int maxAttempts, string queue)
    {
        var refused = await Should.ThrowAsync<ArgumentException>(() => _node.EnqueueAsync(null, new JobRequest(kind, payload, null, MaxAttempts: maxAttempts, Queue: queue)));

        refused.Message.ShouldNotContain(payload.Length > 2 ? payload : "\u0000");
    }

    [Fact]
    public async Task RowLevelSecurity_ShowsAnOrganizationItsOwnJobs_AndLetsItChangeNone()
    {
        var organization = await TenantData.CreateOrganizationAsync(TestPostgres.AppConnection(_database));
        var other = await TenantData.CreateOrganizationAsync(TestPostgres.AppConnection(_database), "Other");
        await _node.EnqueueAsync(organization.Id, new JobRequest("test.mine", "{}", organization.Id));
        await _node.EnqueueAsync(other.Id, new JobRequest("test.theirs", "{}", other.Id));
        await _node.EnqueueAsync(null, new JobRequest("test.instance", "{}", null));
        await using var connection = new NpgsqlConnection(TestPostgres.AppConnection(_database));
        await connection.OpenAsync(TestContext.Current.CancellationToken);

        (await ScalarAsync<string[]>(connection, organization.Id, "SELECT array_agg(kind) FROM jobs")).ShouldBe(["test.mine"]);
        (await ScalarAsync<long>(connection, null, "SELECT count(*) FROM jobs")).ShouldBe(0);
        (await ExecuteAsync(connection, organization.Id, "UPDATE jobs SET state = 'succeeded'")).ShouldBe(0);
        (await ExecuteAsync(connection, organization.Id, "DELETE FROM jobs")).ShouldBe(0);
        var refused = await Should.ThrowAsync<PostgresException>(() => ExecuteAsync(
            connection,
            organization.Id,
            "INSERT INTO jobs (id, kind, queue, priority, payload, organization_id, state, attempt, max_attempts, run_at, enqueued_at) " +
            $"VALUES (gen_random_uuid(), 'test.intruder', 'default', 0, '{{}}', '{other.Id}', 'queued', 0, 1, now(), now())"));
        refused.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
        (await JobRows.CountAsync(_database, "WHERE state = 'queued'")).ShouldBe(3);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, Guid? organizationId, string sql)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        await using var scope = new NpgsqlCommand($"SELECT set_config('loupe.organization_id', '{organizationId}', true)", connection, transaction);
        await scope.ExecuteNonQueryAsync();
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, Guid? organizationId, string sql)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        await using var scope = new NpgsqlCommand($"SELECT set_config('loupe.organization_id', '{organizationId}', true)", connection, transaction);
        await scope.ExecuteNonQueryAsync();
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        var affected = await command.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
        return affected;
    }
}
