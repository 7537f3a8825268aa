using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Runs;
using Loupe.Integration.Tests.Support;
using Microsoft.Playwright;
using Npgsql;

namespace Loupe.Integration.Tests.Browser;

/// <summary>The API host's engine and a real PostgreSQL data source, with an instance admin the dashboard lets in.</summary>
public sealed class RunCancelDashboardApi : RunsApi
{
    public const string AdminEmail = "operator@example.com";

    protected override void AddSettings(IDictionary<string, string?> settings) => settings["Auth:InstanceAdmins:0"] = AdminEmail;
}

/// <summary>
/// An instance admin cancels another organization's running query run from its job's page in a real
/// headless Chromium: the run ends cancelled for its organization, its query is stopped in the data
/// source, and the job's page, kept current by its script, says cancelled.
/// </summary>
public sealed class JobsDashboardRunCancelBrowserTests(RunCancelDashboardApi api, HeadlessChromium chromium)
    : ResetBeforeEachTest(api), IClassFixture<RunCancelDashboardApi>, IClassFixture<HeadlessChromium>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AnInstanceAdmin_CancelsARunningRunFromItsJobsPage_AndTheRunEndsCancelled()
    {
        await api.Identity.RegisterAsync(RunCancelDashboardApi.AdminEmail);
        var owner = await api.Identity.RegisterAsync();
        var source = await api.CreateSourceAsync(owner);
        await Eventually.HoldsAsync(async () => await api.ActiveQueriesAsync() == 0, TimeSpan.FromSeconds(10), "no earlier test's query is left on the data source");
        var run = (await RunsApi.StartAsync(owner, source, RunsApi.Busy(2_000_000_000))).GetProperty("id").GetGuid();
        await RunsApi.ReachesAsync(owner, run, "running");
        var job = await JobOfAsync(run);

        using var client = api.Factory.CreateClient();
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = client.BaseAddress!.ToString() });
        var page = await context.NewPageAsync();
        var console = DashboardBrowser.WatchConsole(page);

        await DashboardBrowser.RunAsync(page, async () =>
        {
            await DashboardBrowser.SignInAsync(page, RunCancelDashboardApi.AdminEmail);
            await page.GotoAsync($"/jobs/{job}");
            await Assertions.Expect(page.Locator("#job-status")).ToHaveTextAsync("Running");
            await Assertions.Expect(page.Locator("#serves")).ToContainTextAsync(run.ToString());
            await HeadlessChromium.ScreenshotAsync(page, "run-running");

            await page.ClickAsync("button#cancel");
            await page.WaitForURLAsync($"**/jobs/{job}");

            // Not reloaded: the page's script keeps it current until the node has stopped the query.
            await Assertions.Expect(page.Locator("#job-status")).ToHaveTextAsync("Cancelled", new() { Timeout = (float)Patience.TotalMilliseconds });
            await HeadlessChromium.ScreenshotAsync(page, "run-cancelled");
        });

        var finished = await RunsApi.FinishedAsync(owner, run);
        finished.GetProperty("status").GetString().ShouldBe("cancelled");
        await Eventually.HoldsAsync(
            async () => await api.ActiveQueriesAsync() == 0, TimeSpan.FromSeconds(10), "the cancelled run's query is gone from the data source", api.DescribeActiveQueriesAsync);
        (await IdentityApi.GetOkAsync(owner.Client, $"/api/v1/runs/{run}")).GetProperty("status").GetString().ShouldBe("cancelled");
        console.ShouldBeEmpty();
    }

    private async Task<Guid> JobOfAsync(Guid run)
    {
        await using var connection = new NpgsqlConnection(api.OwnerConnection);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand($"SELECT job_id FROM query_runs WHERE id = '{run}'", connection);
        return (Guid)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }
}
