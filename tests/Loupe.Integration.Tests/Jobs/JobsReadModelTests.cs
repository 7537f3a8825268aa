using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Paging;
using Loupe.Integration.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Loupe.Integration.Tests.Jobs;

/// <summary>What the jobs dashboard will read: counts, running jobs with their node, failures and pages, across organizations.</summary>
[Collection(JobEngineSerial.Name)]
public sealed class JobsReadModelTests : IAsyncLifetime
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

    private IJobsReadModel ReadModel => _node.Services.GetRequiredService<IJobsReadModel>();

    [Fact]
    public async Task TheDashboard_SeesEveryOrganizationsJobs_ByStatusKindAndQueue()
    {
        var (alpha, beta) = await TwoOrganizationsAsync();
        var queued = await _node.EnqueueAsync(alpha, new JobRequest("test.a", "{}", alpha), new JobRequest("test.a", "{}", alpha));
        var scheduled = await _node.EnqueueAsync(beta, new JobRequest("test.b", "{}", beta, RunAt: DateTimeOffset.UtcNow.AddHours(1), Queue: "reports"));
        var running = await _node.EnqueueAsync(null, new JobRequest("test.c", """{"id":7}""", null));
        var failed = await _node.EnqueueAsync(alpha, new JobRequest("test.a", "{}", alpha));
        await JobRows.ExecuteAsync(
            _database,
            $"UPDATE jobs SET state = 'running', attempt = 1, lease_owner = 'node-x', claimed_at = now(), started_at = now(), heartbeat_at = now(), " +
            $"lease_expires_at = now() + interval '30 seconds' WHERE id = '{running[0]}'");
        await JobRows.ExecuteAsync(
            _database,
            $"UPDATE jobs SET state = 'dead_lettered', attempt = 3, error = 'gave up', finished_at = now() WHERE id = '{failed[0]}'");

        var counts = await ReadModel.CountAsync(TestContext.Current.CancellationToken);
        var now = await ReadModel.RunningAsync(TestContext.Current.CancellationToken);
        var failures = await ReadModel.RecentFailuresAsync(10, TestContext.Current.CancellationToken);
        var detail = await ReadModel.GetAsync(running[0], TestContext.Current.CancellationToken);

        counts.ShouldBe(
        [
            new JobCount(JobStatus.Queued, "test.a", "default", 2),
            new JobCount(JobStatus.Scheduled, "test.b", "reports", 1),
            new JobCount(JobStatus.Running, "test.c", "default", 1),
            new JobCount(JobStatus.DeadLettered, "test.a", "default", 1),
        ], ignoreOrder: true);
        var held = now.ShouldHaveSingleItem();
        held.Id.ShouldBe(running[0]);
        held.Node.ShouldBe("node-x");
        held.HeartbeatAt.ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-1));
        failures.Select(f => (f.Id, f.Status, f.Error)).ShouldBe([(failed[0], JobStatus.DeadLettered, "gave up")]);
        detail.ShouldNotBeNull();
        detail.Payload.ShouldBe("""{"id":7}""");
        detail.Node.ShouldBe("node-x");
        detail.Summary.Status.ShouldBe(JobStatus.Running);
        (await ReadModel.GetAsync(Guid.CreateVersion7(), TestContext.Current.CancellationToken)).ShouldBeNull();
        queued.Count.ShouldBe(2);
        scheduled.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Lists_PageNewestFirst_AndFilter()
    {
        var (alpha, beta) = await TwoOrganizationsAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.AddRange(await _node.EnqueueAsync(alpha, new JobRequest("test.list", "{}", alpha)));
        }

        await _node.EnqueueAsync(beta, new JobRequest("test.other", "{}", beta));

        var first = await ReadModel.ListAsync(new JobListFilter(Kind: "test.list"), PageRequest.Create(1, 2), TestContext.Current.CancellationToken);
        var last = await ReadModel.ListAsync(new JobListFilter(Kind: "test.list"), PageRequest.Create(3, 2), TestContext.Current.CancellationToken);
        var beyond = await ReadModel.ListAsync(new JobListFilter(Kind: "test.list"), PageRequest.Create(9, 2), TestContext.Current.CancellationToken);
        var ofBeta = await ReadModel.ListAsync(new JobListFilter(OrganizationId: beta), PageRequest.Default, TestContext.Current.CancellationToken);
        var none = await ReadModel.ListAsync(new JobListFilter([JobStatus.Failed, JobStatus.Running]), PageRequest.Default, TestContext.Current.CancellationToken);

        first.Data.Select(j => j.Id).ShouldBe([ids[4], ids[3]]);
        first.Pagination.Total.ShouldBe(5);
        first.Pagination.HasNext.ShouldBeTrue();
        last.Data.Select(j => j.Id).ShouldBe([ids[0]]);
        beyond.Data.ShouldBeEmpty();
        beyond.Pagination.Total.ShouldBe(5);
        ofBeta.Data.ShouldHaveSingleItem().Kind.ShouldBe("test.other");
        none.Data.ShouldBeEmpty();
        none.Pagination.Total.ShouldBe(0);
    }

    private async Task<(Guid Alpha, Guid Beta)> TwoOrganizationsAsync()
    {
        var alpha = await TenantData.CreateOrganizationAsync(TestPostgres.AppConnection(_database), "Alpha");
        var beta = await TenantData.CreateOrganizationAsync(TestPostgres.AppConnection(_database), "Beta");
        return (alpha.Id, beta.Id);
    }
}
