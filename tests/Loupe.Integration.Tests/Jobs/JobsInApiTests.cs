using System.Net;
using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Persistence;
using Loupe.Infrastructure.Jobs;
using Loupe.Integration.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Loupe.Integration.Tests.Jobs;

/// <summary>Loupe.Api runs a node of the engine in its own process only when <c>Jobs:RunInApi</c> is true.</summary>
[Collection(JobEngineSerial.Name)]
public sealed class JobsInApiTests(DatabaseFixture database) : ResetBeforeEachTest(database), IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task WithRunInApi_TheApiRunsJobs_AndIsReadyOnlyWithItsEngine()
    {
        await using var factory = LoupeApiFactory.For(database, settings: new Dictionary<string, string?>
        {
            ["Jobs:RunInApi"] = "true",
            ["Jobs:NodeId"] = "api-node",
        });
        using var client = factory.CreateClient();

        Guid id;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            id = scope.ServiceProvider.GetRequiredService<IJobScheduler>().Enqueue(new JobRequest(ProbeJobHandler.JobKind, ProbeJobHandler.Payload(0), null));
            await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var row = await JobRows.WaitForAsync(database.Name, id, TimeSpan.FromSeconds(30), "succeeded");
        var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken);

        row.Attempt.ShouldBe(1);
        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("\"jobs\"");
    }

    [Fact]
    public async Task ByDefault_TheApiOnlyEnqueues()
    {
        await using var factory = LoupeApiFactory.For(database);
        using var client = factory.CreateClient();

        factory.Services.GetService<IEnumerable<Microsoft.Extensions.Hosting.IHostedService>>()!.OfType<JobEngine>().ShouldBeEmpty();
        await using var scope = factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetService<IJobScheduler>().ShouldNotBeNull();
    }
}
