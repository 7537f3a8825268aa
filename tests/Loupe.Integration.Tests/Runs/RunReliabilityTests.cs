using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Runs;

/// <summary>
/// Runs (ADR 0023) at the edges: cancellations racing the end of runs, and retryable data source failures
/// retried with backoff up to the run's attempts (final ones not retried at all). Engine in the API
/// (<see cref="RunsApi"/>, retries after 0.5–2 s).
/// </summary>
public sealed class RunReliabilityTests(RunsApi api) : ResetBeforeEachTest(api), IClassFixture<RunsApi>
{
    private const int RacedRuns = 40;
    private const int RacedRows = 500;
    private const int WarmUpRuns = 8;

    /// <summary><c>Runs:MaxAttempts</c>, default.</summary>
    private const int RunAttempts = 3;

    [Fact]
    public async Task CancellingRunsAroundTheirEnd_LeavesEachInOneFinalState_ThatTheCancelAnswerTold()
    {
        var (admin, source) = await SetUpAsync();
        var sql = $"select g as n from generate_series(1, {RacedRows}) g order by g";

        // How long such a run takes here, queued to finished, once warm: the cancellations are spread around it.
        var typical = new List<double>();
        for (var i = 0; i < WarmUpRuns; i++)
        {
            var warmUp = await RunsApi.FinishedAsync(admin, (await RunsApi.StartAsync(admin, source, sql)).GetProperty("id").GetGuid());
            typical.Add((warmUp.GetProperty("finished_at").GetDateTimeOffset() - warmUp.GetProperty("queued_at").GetDateTimeOffset()).TotalMilliseconds);
        }

        var warm = typical.Skip(3).Order().ToList();
        var median = warm[warm.Count / 2];
        var seed = Environment.TickCount;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"queued → finished {median:F1} ms (warm-up runs: {string.Join(", ", typical.Select(t => t.ToString("F1", CultureInfo.InvariantCulture)))}); seed {seed}");
        var random = new Random(seed);

        // Log-uniform from an eighth of the typical time to eight times it: dense around the end, and
        // both sides are reached even when the machine's pace differs from the warm-up's.
        var delays = Enumerable.Range(0, RacedRuns).Select(_ => median * Math.Pow(2, (random.NextDouble() * 6) - 3)).ToArray();

        // Four clients at once, each starting a run, waiting its delay, then cancelling it.
        var answers = new ConcurrentDictionary<Guid, (HttpStatusCode Status, string? RunStatus, double DelayMs)>();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, RacedRuns),
            new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = TestContext.Current.CancellationToken },
            async (i, ct) =>
            {
                var id = (await RunsApi.StartAsync(admin, source, sql)).GetProperty("id").GetGuid();
                await Task.Delay(TimeSpan.FromMilliseconds(delays[i]), ct);
                using var cancel = await admin.Client.PostAsync($"/api/v1/runs/{id}/cancel", null, ct);
                var body = JsonDocument.Parse(await cancel.Content.ReadAsStringAsync(ct)).RootElement;
                var runStatus = cancel.StatusCode == HttpStatusCode.OK ? body.GetProperty("status").GetString() : null;
                answers[id] = (cancel.StatusCode, runStatus, delays[i]);
            });

        var finals = new Dictionary<Guid, JsonElement>();
        foreach (var id in answers.Keys)
        {
            finals[id] = await RunsApi.FinishedAsync(admin, id);
        }

        // Every job has ended too (none queued or running), and nothing of the runs is left in the database.
        await Eventually.HoldsAsync(
            async () => (await RunJobRows.AllAsync(api.OwnerConnection)).Where(r => answers.ContainsKey(r.RunId)).All(r => r.JobState is "succeeded" or "cancelled"),
            TimeSpan.FromSeconds(30),
            "every job ended",
            () => RunJobRows.DescribeAsync(api.OwnerConnection));
        await Eventually.HoldsAsync(async () => await api.ActiveQueriesAsync() == 0, TimeSpan.FromSeconds(5), "no query is left in the database");

        var cancelled = 0;
        var cancelledWhileRunning = 0;
        var succeeded = 0;
        foreach (var (id, answer) in answers)
        {
            var run = finals[id];
            var status = run.GetProperty("status").GetString();
            var context = $"run {id} cancelled after {answer.DelayMs:F1} ms: {answer.Status} {answer.RunStatus}, then {run}";
            if (answer.Status == HttpStatusCode.OK)
            {
                // Cancelled in time: it stays cancelled, with no result to read.
                answer.RunStatus.ShouldBe("cancelled", context);
                status.ShouldBe("cancelled", context);
                run.GetProperty("has_result").GetBoolean().ShouldBeFalse(context);
                using var results = await admin.Client.GetAsync($"/api/v1/runs/{id}/results", TestContext.Current.CancellationToken);
                (await results.ShouldBeProblemAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString()!.ShouldContain("cancelled", Case.Sensitive, context);
                cancelled++;
                cancelledWhileRunning += run.GetProperty("attempt").GetInt32() > 0 ? 1 : 0;
            }
            else
            {
                // Too late: it had finished, and its whole result is there.
                answer.Status.ShouldBe(HttpStatusCode.Conflict, context);
                status.ShouldBe("succeeded", context);
                run.GetProperty("has_result").GetBoolean().ShouldBeTrue(context);
                run.GetProperty("row_count").GetInt64().ShouldBe(RacedRows, context);
                var page = await IdentityApi.GetOkAsync(admin.Client, $"/api/v1/runs/{id}/results?per_page={RacedRows}");
                page.GetProperty("pagination").GetProperty("total").GetInt64().ShouldBe(RacedRows, context);
                page.GetProperty("data").EnumerateArray().Select(r => r[0].GetInt64()).ShouldBe(Enumerable.Range(1, RacedRows).Select(n => (long)n), context);
                succeeded++;
            }

            // One final state: read again after everything settled, it has not moved.
            (await IdentityApi.GetOkAsync(admin.Client, $"/api/v1/runs/{id}")).GetProperty("status").GetString().ShouldBe(status, context);
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{cancelled} cancelled ({cancelledWhileRunning} after their attempt started), {succeeded} too late to cancel");
        cancelled.ShouldBeGreaterThan(0, "no cancellation came in time: the race was not run");
        succeeded.ShouldBeGreaterThan(0, "every cancellation came in time: the race was not run");
    }

    [Fact]
    public async Task AnUnreachableDataSource_IsRetriedWithBackoff_UpToTheRunsAttempts_ThenFailsWithItsSqlState()
    {
        var admin = await api.Identity.RegisterAsync();
        var source = await CreateUnreachableSourceAsync(admin);
        var id = (await RunsApi.StartAsync(admin, source, "select 1 as one")).GetProperty("id").GetGuid();

        // Between attempts the run is retrying, with the error that sent it back and when it comes back.
        var seen = new List<string>();
        var nextAttempts = new List<DateTimeOffset>();
        var run = await Eventually.HoldsAsync(
            async () =>
            {
                var current = await IdentityApi.GetOkAsync(admin.Client, $"/api/v1/runs/{id}");
                var status = current.GetProperty("status").GetString();
                var code = current.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object ? error.GetProperty("code").GetString() : null;
                var step = $"{status} {current.GetProperty("attempt").GetInt32()} {code}";
                if (seen.LastOrDefault() != step)
                {
                    seen.Add(step);
                }

                if (status == "retrying" && current.GetProperty("next_attempt_at").ValueKind == JsonValueKind.String)
                {
                    nextAttempts.Add(current.GetProperty("next_attempt_at").GetDateTimeOffset());
                }

                return current;
            },
            current => current.GetProperty("status").GetString() is "succeeded" or "failed" or "cancelled" or "timed_out",
            TimeSpan.FromSeconds(60),
            $"run {id} finishes",
            _ => string.Join("; ", seen));

        var steps = string.Join("; ", seen);
        seen.ShouldContain("retrying 1 08000", steps);
        seen.ShouldContain("retrying 2 08000", steps);
        seen.ShouldNotContain(s => s.StartsWith("queued ", StringComparison.Ordinal) && !s.EndsWith(' '), steps);
        nextAttempts.ShouldNotBeEmpty(steps);
        nextAttempts.ShouldAllBe(at => at > run.GetProperty("queued_at").GetDateTimeOffset(), steps);
        run.GetProperty("status").GetString().ShouldBe("failed", steps);
        run.GetProperty("attempt").GetInt32().ShouldBe(RunAttempts, steps);
        run.GetProperty("error").GetProperty("code").GetString().ShouldBe("08000", steps);
        run.GetProperty("has_result").GetBoolean().ShouldBeFalse();

        // Two backoffs were waited: at least half of 1 s, then half of 2 s (the rest is jitter).
        var took = run.GetProperty("finished_at").GetDateTimeOffset() - run.GetProperty("queued_at").GetDateTimeOffset();
        took.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1.5), steps);

        // The job ran once per attempt and, out of attempts, was dead-lettered (ADR 0023): nothing is queued again.
        var job = await RunJobRows.WaitForStateAsync(api.OwnerConnection, id, "dead_lettered");
        job.JobAttempt.ShouldBe(RunAttempts, $"{job}");
        TestContext.Current.TestOutputHelper?.WriteLine($"{steps}; job: {job}");
    }

    [Fact]
    public async Task ASyntaxError_FailsAtOnce_OnTheFirstAttempt_AndItsJobIsNotRetried()
    {
        var (admin, source) = await SetUpAsync();

        var run = await RunsApi.FinishedAsync(admin, (await RunsApi.StartAsync(admin, source, "select 1 1 as broken")).GetProperty("id").GetGuid());

        run.GetProperty("status").GetString().ShouldBe("failed", run.ToString());
        run.GetProperty("error").GetProperty("code").GetString().ShouldBe("42601");
        run.GetProperty("attempt").GetInt32().ShouldBe(1);
        var job = await RunJobRows.GetAsync(api.OwnerConnection, run.GetProperty("id").GetGuid());
        job.JobAttempt.ShouldBe(1, $"{job}");
        job.JobState.ShouldBeOneOf(["succeeded", "failed"], $"{job}");
    }

    /// <summary>A data source on a local port where nothing listens: connecting is refused at once.</summary>
    private static async Task<Guid> CreateUnreachableSourceAsync(Member admin)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var response = await admin.Client.PostAsJsonAsync(
            "/api/v1/datasources",
            new
            {
                name = $"unreachable {Guid.NewGuid():N}",
                type = "postgresql",
                settings = new { host = "127.0.0.1", port, database = "nowhere", username = "nobody", password = "unused", ssl_mode = "disable" },
            },
            TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetGuid();
    }

    private async Task<(Member Admin, Guid Source)> SetUpAsync()
    {
        var admin = await api.Identity.RegisterAsync();
        var source = await api.CreateSourceAsync(admin);
        return (admin, source);
    }
}
