using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Loupe.Integration.Tests.Support;
using Npgsql;

namespace Loupe.Integration.Tests.Runs;

/// <summary>The API host's engine node as Loupe.Worker ships it: 8 slots, 5 running runs per organization, a quarter of the slots reserved.</summary>
public sealed class FairRunsApi : RunsApi
{
    protected override void AddSettings(IDictionary<string, string?> settings)
    {
        settings["Jobs:Concurrency"] = "8";
        settings["Jobs:MaxRunningPerOrganization"] = "5";
        settings["Jobs:ReservedShare"] = "0.25";
    }
}

/// <summary>Issue 10 point 4: two organizations that flood the node do not starve a third (ADR 0030).</summary>
public sealed class RunFairnessTests(FairRunsApi api) : ResetBeforeEachTest(api), IClassFixture<FairRunsApi>
{
    private const int FloodRuns = 8;

    /// <summary>Far longer than the test: the floods are still running when the third organization's run starts, unless it waited for them.</summary>
    private const double FloodSeconds = 120;

    /// <summary>Of the node's 8 slots, 2 are reserved: the floods together may hold 6.</summary>
    private const int OpenSlots = 6;

    [Fact]
    public async Task TwoOrganizationsFloodingEverySlotTheyMayTake_DoNotHoldUpAThirdOrganizationsTrivialRun()
    {
        var sourceConnection = new NpgsqlConnectionStringBuilder(TestPostgres.AdminConnection) { Database = api.SourceDatabase }.ConnectionString;
        await SlowSource.InstallAsync(sourceConnection, 0);
        var a = await api.Identity.RegisterAsync();
        var b = await api.Identity.RegisterAsync();
        var c = await api.Identity.RegisterAsync();
        var sourceA = await api.CreateSourceAsync(a);
        var sourceB = await api.CreateSourceAsync(b);
        var sourceC = await api.CreateSourceAsync(c);

        var flood = new List<(Member Member, Guid Run)>();
        for (var i = 0; i < FloodRuns; i++)
        {
            flood.Add((a, (await RunsApi.StartAsync(a, sourceA, SlowSource.PausedSql(i, FloodSeconds))).GetProperty("id").GetGuid()));
            flood.Add((b, (await RunsApi.StartAsync(b, sourceB, SlowSource.PausedSql(i, FloodSeconds))).GetProperty("id").GetGuid()));
        }

        try
        {
            // Every slot the two may take is taken: 5 of one (its limit) and 1 of the other, or 3 and 3.
            await Eventually.HoldsAsync(
                async () => await RunningAsync(flood) == OpenSlots,
                TimeSpan.FromSeconds(60),
                $"the flood takes all {OpenSlots} open slots",
                api.DescribeRunsAsync,
                TimeSpan.FromMilliseconds(100));
            await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
            (await RunningAsync(flood)).ShouldBe(OpenSlots, await api.DescribeRunsAsync());

            var posted = Stopwatch.StartNew();
            var trivial = (await RunsApi.StartAsync(c, sourceC, "select 1 as n")).GetProperty("id").GetGuid();
            var finished = await RunsApi.FinishedAsync(c, trivial, TimeSpan.FromSeconds(FloodSeconds / 2));
            var waited = posted.Elapsed;
            var queuedToStarted = finished.GetProperty("started_at").GetDateTimeOffset() - finished.GetProperty("queued_at").GetDateTimeOffset();
            TestContext.Current.TestOutputHelper?.WriteLine(
                string.Create(CultureInfo.InvariantCulture, $"third organization's select 1: queued → started {queuedToStarted.TotalMilliseconds:F1} ms, posted → finished {waited.TotalMilliseconds:F1} ms, while the floods held {OpenSlots} slots"));

            finished.GetProperty("status").GetString().ShouldBe("succeeded");
            (await FinishedCountAsync(flood)).ShouldBe(0, "the third organization's run started while every flood run was still running or queued");
        }
        finally
        {
            foreach (var (member, run) in flood)
            {
                using var cancel = await member.Client.PostAsync($"/api/v1/runs/{run}/cancel", null, TestContext.Current.CancellationToken);
            }
        }
    }

    private static async Task<int> RunningAsync(List<(Member Member, Guid Run)> runs) =>
        (await StatusesAsync(runs)).Count(s => s == "running");

    private static async Task<int> FinishedCountAsync(List<(Member Member, Guid Run)> runs) =>
        (await StatusesAsync(runs)).Count(s => s is not ("queued" or "running"));

    private static async Task<List<string?>> StatusesAsync(List<(Member Member, Guid Run)> runs)
    {
        var statuses = new List<string?>();
        foreach (var (member, run) in runs)
        {
            JsonElement answer = await Identity.Organization.IdentityApi.GetOkAsync(member.Client, $"/api/v1/runs/{run}");
            statuses.Add(answer.GetProperty("status").GetString());
        }

        return statuses;
    }
}
