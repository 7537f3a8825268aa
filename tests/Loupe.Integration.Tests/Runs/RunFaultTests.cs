using System.Text.Json;
using Loupe.Application.Common.Connectors;
using Loupe.Application.Common.Results;
using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Loupe.Integration.Tests.Runs;

/// <summary>
/// Faults of Loupe's own (its result store and database, not the data source) during a run: a passing
/// one is retried by the engine and the run succeeds on a later attempt; any other fails the run with
/// LP004, never leaving it "running" and never showing Loupe's internal error as the data source's.
/// </summary>
public sealed class RunFaultTests(RunFaultTests.FaultyStoreApi api) : ResetBeforeEachTest(api), IClassFixture<RunFaultTests.FaultyStoreApi>
{
    [Fact]
    public async Task APassingDatabaseFailure_AtTheFirstRowStored_IsRetried_AndTheRunSucceeds()
    {
        var (admin, source) = await SetUpAsync();
        var marker = Guid.NewGuid().ToString("N");
        api.Faults[marker] = new Fault(Attempt: 1, AtRow: 1, new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01"));

        var run = await RunsApi.FinishedAsync(admin, await StartAsync(admin, source, marker));

        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        run.GetProperty("attempt").GetInt32().ShouldBe(2);
        await ShouldHaveAllRowsAsync(admin, run);
    }

    [Fact]
    public async Task ABrokenConnectionToLoupesDatabase_WhileRowsAreStored_IsRetried_AndTheRunSucceeds()
    {
        var (admin, source) = await SetUpAsync();
        var marker = Guid.NewGuid().ToString("N");
        api.Faults[marker] = new Fault(Attempt: 1, AtRow: 1500, new NpgsqlException("Exception while writing to stream", new IOException("Connection reset by peer")));

        var run = await RunsApi.FinishedAsync(admin, await StartAsync(admin, source, marker));

        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        run.GetProperty("attempt").GetInt32().ShouldBe(2);
        await ShouldHaveAllRowsAsync(admin, run);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1500)]
    public async Task AnyOtherFaultOfLoupes_FailsTheRunWithLP004_WithoutShowingLoupesInternalError(int atRow)
    {
        var (admin, source) = await SetUpAsync();
        var marker = Guid.NewGuid().ToString("N");
        api.Faults[marker] = new Fault(Attempt: 0, atRow, new PostgresException("permission denied for table run_result_chunks", "ERROR", "ERROR", "42501"));

        var run = await RunsApi.FinishedAsync(admin, await StartAsync(admin, source, marker));

        run.GetProperty("status").GetString().ShouldBe("failed", run.ToString());
        run.GetProperty("attempt").GetInt32().ShouldBe(1);
        var error = run.GetProperty("error");
        error.GetProperty("code").GetString().ShouldBe("LP004");
        error.GetProperty("message").GetString()!.ShouldNotContain("run_result_chunks");
        api.Factory.Logs.Lines.ShouldContain(l => l.Message.Contains(run.GetProperty("id").GetGuid().ToString(), StringComparison.Ordinal) && l.Message.Contains("failed inside Loupe", StringComparison.Ordinal));
        (await api.DescribeRunsAsync()).ShouldContain($"{run.GetProperty("id").GetGuid()} | failed | 1 | failed");
    }

    [Fact]
    public async Task ARunWhoseJobEndedWithoutFinishingIt_IsClosedByTheSweep_AndNoOtherRunIs()
    {
        var (admin, source) = await SetUpAsync();
        var runs = new Dictionary<string, Guid>();
        foreach (var name in (string[])["dead", "failed", "cancelled", "gone", "young", "leased", "waiting", "done"])
        {
            var id = (await RunsApi.StartAsync(admin, source, $"select '{name}' as case_name, '{Guid.NewGuid():N}' as marker")).GetProperty("id").GetGuid();
            (await RunsApi.FinishedAsync(admin, id)).GetProperty("status").GetString().ShouldBe("succeeded");
            runs[name] = id;
        }

        // As a crash or an exhausted job would leave them: the run still says running, its job says otherwise.
        string Set(string name, string jobState, string age = "5 minutes") =>
            $"UPDATE query_runs SET status = 'running', finished_at = NULL, queued_at = now() - interval '{age}' WHERE id = '{runs[name]}';" +
            $"UPDATE jobs SET state = '{jobState}' WHERE id = (SELECT job_id FROM query_runs WHERE id = '{runs[name]}');";
        await api.ExecuteOwnerAsync(
            Set("dead", "dead_lettered") + Set("failed", "failed") + Set("cancelled", "cancelled") + Set("gone", "succeeded") +
            $"DELETE FROM jobs WHERE id = (SELECT job_id FROM query_runs WHERE id = '{runs["gone"]}');" +
            Set("young", "dead_lettered", "1 second") + Set("leased", "running") + Set("waiting", "queued") +
            $"UPDATE jobs SET lease_owner = 'elsewhere', lease_expires_at = now() + interval '1 hour' WHERE id = (SELECT job_id FROM query_runs WHERE id = '{runs["leased"]}');" +
            $"UPDATE jobs SET run_at = now() + interval '1 hour' WHERE id = (SELECT job_id FROM query_runs WHERE id = '{runs["waiting"]}');");

        var stranded = api.Factory.Services.GetRequiredService<Loupe.Infrastructure.Runs.StrandedRuns>();
        var closed = await stranded.SweepAsync(DateTimeOffset.UtcNow, TestContext.Current.CancellationToken);

        // The sweep covers the whole database, which holds this test's rows only (ADR 0036).
        closed.ShouldBe(4);
        foreach (var name in (string[])["dead", "failed", "cancelled", "gone"])
        {
            var run = await IdentityApi.GetOkAsync(admin.Client, $"/api/v1/runs/{runs[name]}");
            run.GetProperty("status").GetString().ShouldBe("failed", name);
            run.GetProperty("error").GetProperty("code").GetString().ShouldBe("LP003", name);
            run.GetProperty("finished_at").ValueKind.ShouldBe(JsonValueKind.String, name);
        }

        foreach (var name in (string[])["young", "leased", "waiting"])
        {
            (await IdentityApi.GetOkAsync(admin.Client, $"/api/v1/runs/{runs[name]}")).GetProperty("status").GetString().ShouldBe("running", name);
        }

        (await IdentityApi.GetOkAsync(admin.Client, $"/api/v1/runs/{runs["done"]}")).GetProperty("status").GetString().ShouldBe("succeeded");
        await api.ExecuteOwnerAsync($"UPDATE jobs SET state = 'cancelled', lease_owner = NULL, lease_expires_at = NULL WHERE id IN (SELECT job_id FROM query_runs WHERE id IN ('{runs["leased"]}', '{runs["waiting"]}'))");
    }

    private static async Task<Guid> StartAsync(Member admin, Guid source, string marker) =>
        (await RunsApi.StartAsync(admin, source, $"select g as n, '{marker}' as marker from generate_series(1, 3000) g order by g")).GetProperty("id").GetGuid();

    private static async Task ShouldHaveAllRowsAsync(Member admin, JsonElement run)
    {
        run.GetProperty("row_count").GetInt64().ShouldBe(3000);
        var csv = await admin.Client.GetStringAsync($"/api/v1/runs/{run.GetProperty("id").GetGuid()}/results.csv", TestContext.Current.CancellationToken);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(3001);
        lines[3000].ShouldStartWith("3000,");
    }

    private async Task<(Member Admin, Guid Source)> SetUpAsync()
    {
        var admin = await api.Identity.RegisterAsync();
        return (admin, await api.CreateSourceAsync(admin));
    }

    /// <summary>
    /// Fails a run whose rows carry the marker: on attempt <paramref name="Attempt"/> (0: every attempt),
    /// when row <paramref name="AtRow"/> (from 1) is stored.
    /// </summary>
    public sealed record Fault(int Attempt, int AtRow, Exception Failure);

    /// <summary>The runs host, with a result store that fails as a test asks.</summary>
    public sealed class FaultyStoreApi : RunsApi
    {
        /// <summary>Faults by the marker the run's rows carry.</summary>
        public Dictionary<string, Fault> Faults { get; } = [];

        protected override void ConfigureServices(IServiceCollection services)
        {
            var real = services.Last(d => d.ServiceType == typeof(IResultStore));
            services.Remove(real);
            services.AddScoped<IResultStore>(provider => new FaultyStore(
                (IResultStore)ActivatorUtilities.CreateInstance(provider, real.ImplementationType!), this));
        }

        private sealed class FaultyStore(IResultStore inner, FaultyStoreApi api) : IResultStore
        {
            public async Task<IResultWriter> BeginAsync(Guid runId, int attempt, CancellationToken ct) =>
                new FaultyWriter(await inner.BeginAsync(runId, attempt, ct), attempt, api);

            public Task<ResultPage?> ReadPageAsync(Guid runId, int attempt, long offset, int count, CancellationToken ct) =>
                inner.ReadPageAsync(runId, attempt, offset, count, ct);

            public Task<bool> ExportAsync(Guid runId, int attempt, ResultFormat format, ExportOptions options, Stream destination, CancellationToken ct) =>
                inner.ExportAsync(runId, attempt, format, options, destination, ct);

            public Task DeleteAsync(IReadOnlyCollection<Guid> runIds, CancellationToken ct) => inner.DeleteAsync(runIds, ct);
        }

        /// <summary>Learns the run's marker from its first row, then fails where the fault says.</summary>
        private sealed class FaultyWriter(IResultWriter inner, int attempt, FaultyStoreApi api) : IResultWriter
        {
            private int _rows;

            public ValueTask ColumnsAsync(IReadOnlyList<QueryColumn> columns, CancellationToken ct) => inner.ColumnsAsync(columns, ct);

            public ValueTask RowAsync(object?[] row, CancellationToken ct)
            {
                _rows++;
                if (row.Length == 2 && row[1] is string marker && api.Faults.TryGetValue(marker, out var fault)
                    && (fault.Attempt == 0 || fault.Attempt == attempt) && fault.AtRow == _rows)
                {
                    throw fault.Failure;
                }

                return inner.RowAsync(row, ct);
            }

            public Task<StoredResult> CompleteAsync(QueryOutcome outcome, CancellationToken ct) => inner.CompleteAsync(outcome, ct);

            public ValueTask DisposeAsync() => inner.DisposeAsync();
        }
    }
}
