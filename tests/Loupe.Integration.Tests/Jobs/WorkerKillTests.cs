using System.Diagnostics;
using System.Text;
using Loupe.Application.Common.Jobs;
using Loupe.Infrastructure.Jobs;
using Loupe.Integration.Tests.Migrations;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Jobs;

/// <summary>Spec §6: a worker killed with SIGKILL during a job — the job is taken up again within the lease time (≤ 60 s).</summary>
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
            await JobRows.EventuallyAsync(
                async () => (await JobRows.GetAsync(_database, id)) is { State: "running", LeaseOwner: "worker-child" },
                TimeSpan.FromSeconds(60),
                $"the worker claimed the job; its output: {output}");

            worker.Kill();
            var killed = Stopwatch.GetTimestamp();
            await worker.WaitForExitAsync(TestContext.Current.CancellationToken);
            await rescuer.StartAsync();

            await JobRows.EventuallyAsync(
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

    private Process StartWorker(StringBuilder output)
    {
        var dll = WorkerDll();
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        start.Environment["ConnectionStrings__Loupe"] = TestPostgres.AppConnection(_database);
        start.Environment["ConnectionStrings__LoupeOwner"] = TestPostgres.OwnerConnection(_database);
        start.Environment["Database__MigrateOnStartup"] = "false";
        start.Environment["Auth__SigningKey"] = LoupeApiFactory.TestSigningKey;
        start.Environment["Secrets__ActiveKeyId"] = LoupeApiFactory.TestSecretsKeyId;
        start.Environment[$"Secrets__Keys__{LoupeApiFactory.TestSecretsKeyId}"] = LoupeApiFactory.TestSecretsKey;
        start.Environment["Jobs__NodeId"] = "worker-child";
        var process = Process.Start(start) ?? throw new InvalidOperationException("The worker did not start.");
        process.OutputDataReceived += (_, line) => Append(output, line.Data);
        process.ErrorDataReceived += (_, line) => Append(output, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Append(StringBuilder output, string? line)
    {
        lock (output)
        {
            output.AppendLine(line);
        }
    }

    /// <summary>The worker built beside these tests (same configuration), as <c>build/test.sh</c> builds the whole solution.</summary>
    private static string WorkerDll()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var dll = Path.Combine(MigrationCatalogTests.RepositoryRoot(), "src", "Loupe.Worker", "bin", configuration, "net10.0", "Loupe.Worker.dll");
        return File.Exists(dll)
            ? dll
            : throw new FileNotFoundException($"Build the solution first: {dll} is missing.", dll);
    }
}
