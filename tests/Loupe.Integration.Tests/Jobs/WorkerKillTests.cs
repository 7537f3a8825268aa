using System.Diagnostics;
using System.Text;
using Loupe.Application.Common.Jobs;
using Loupe.Infrastructure.Jobs;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Jobs;

/// <summary>A worker killed with SIGKILL during a job — the job is taken up again within the lease time (≤ 60 s).</summary>
[Collection(JobEngineSerial.Name)]
public sealed class WorkerKillTests : IAsyncLifetime
{
    private readonly ScratchDatabases _databases = new();
    private string _database = string.Empty;

    public async ValueTask InitializeAsync() => _database = await _databases.MigratedAsync();

    public ValueTask DisposeAsync() => _databases.DisposeAsync();

    [Fact]
    public async Task AJobOfAWorkerKilledWithSigkill_IsTakenUpByAnotherNodeWithin60Seconds()
    {
        await using var rescuer = JobNode.Create(_database, "node-rescuer");
        var id = (await rescuer.EnqueueAsync(null, new JobRequest(ProbeJobHandler.JobKind, ProbeJobHandler.Payload(600_000), null)))[0];
        var output = new StringBuilder();
        using var worker = StartWorker(output);
        try
        {
            // The worker runs with the default lease (30 s) and heartbeat (10 s).
            await Eventually.HoldsAsync(
                async () => (await JobRows.GetAsync(_database, id)) is { State: "running", LeaseOwner: "worker-child" },
                TimeSpan.FromSeconds(60),
                $"the worker claimed the job; its output: {output}");

            worker.Kill();
            var killed = Stopwatch.GetTimestamp();
            await worker.WaitForExitAsync(TestContext.Current.CancellationToken);
            await rescuer.StartAsync();

            await Eventually.HoldsAsync(
                async () => (await JobRows.GetAsync(_database, id)) is { State: "running", LeaseOwner: "node-rescuer", Attempt: 2 },
                TimeSpan.FromSeconds(60),
                "another node took the job up again");
            Stopwatch.GetElapsedTime(killed).ShouldBeLessThan(TimeSpan.FromSeconds(60));
        }
        finally
        {
            if (!worker.HasExited)
            {
                worker.Kill();
            }
        }

        (await rescuer.WithSchedulerAsync(null, s => s.CancelAsync(id, TestContext.Current.CancellationToken))).ShouldBe(JobCancellation.CancellationRequested);
        (await JobRows.WaitForAsync(_database, id, TimeSpan.FromSeconds(30), "cancelled")).Attempt.ShouldBe(2);
    }

    private Process StartWorker(StringBuilder output) =>
        WorkerProcess.Start(TestPostgres.AppConnection(_database), TestPostgres.OwnerConnection(_database), "worker-child", output);
}
