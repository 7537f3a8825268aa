using Loupe.Api.Http;
using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Persistence;
using Loupe.Integration.Tests.Jobs;
using Loupe.Integration.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Loupe.Integration.Tests.Browser;

/// <summary>
/// The dashboard's job pages in a real headless Chromium against a host that runs a node of the engine
/// with handlers of the test's own: an instance admin opens a failed job from the failed list, retries
/// it and watches it really run and succeed; cancels a running job from its page and sees it cancelled.
/// </summary>
[Collection(JobEngineSerial.Name)]
public sealed class JobsDashboardJobPagesBrowserTests(DatabaseFixture database, HeadlessChromium chromium)
    : ResetBeforeEachTest(database), IClassFixture<DatabaseFixture>, IClassFixture<HeadlessChromium>
{
    private const string AdminEmail = "operator@example.com";
    private const string FlakyKind = "test.pages.flaky";
    private const string HoldKind = "test.pages.hold";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private LoupeApiFactory _factory = null!;
    private IdentityDriver _identity = null!;
    private Uri _baseAddress = null!;

    /// <summary>Whether the flaky handler fails: it does until the test lets it succeed.</summary>
    private volatile bool _failing = true;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _factory = LoupeApiFactory.For(database, settings: new Dictionary<string, string?>
        {
            ["Auth:InstanceAdmins:0"] = AdminEmail,
            ["Jobs:RunInApi"] = "true",
            ["Jobs:NodeId"] = "node-pages",
            ["Jobs:PollMilliseconds"] = "200",
        });
        _factory.TestServices = services => services
            .AddSingleton<IJobHandler>(new TestHandler(FlakyKind, (_, _) => _failing ? throw new InvalidOperationException("boom: not yet") : Task.CompletedTask))
            .AddSingleton<IJobHandler>(new TestHandler(HoldKind, (_, ct) => Task.Delay(Timeout.Infinite, ct)));
        using var client = _factory.CreateClient();
        _baseAddress = client.BaseAddress!;
        _identity = new IdentityDriver(_factory);
    }

    public override async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task AnInstanceAdmin_OpensAFailedJobFromTheFailedList_RetriesIt_AndWatchesItSucceed()
    {
        await _identity.RegisterAsync(AdminEmail);
        var failed = await EnqueueAsync(FlakyKind);
        var alsoFailed = await EnqueueAsync(FlakyKind);
        await JobRows.WaitForAsync(database.Name, failed, Patience, "failed");
        await JobRows.WaitForAsync(database.Name, alsoFailed, Patience, "failed");
        _failing = false;

        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _baseAddress.ToString() });
        var page = await context.NewPageAsync();
        var console = DashboardBrowser.WatchConsole(page);

        await DashboardBrowser.RunAsync(page, async () =>
        {
            await DashboardBrowser.SignInAsync(page, AdminEmail);
            await Assertions.Expect(page.Locator("[data-job-count=\"failed\"]")).ToHaveTextAsync("2");
            await Assertions.Expect(page.Locator("#failures")).ToContainTextAsync("boom: not yet");
            await HeadlessChromium.ScreenshotAsync(page, "overview");

            // The failed tab of the list, reached from the overview's count.
            await page.ClickAsync(".counts .failed dt a");
            await page.WaitForURLAsync("**/jobs/list?state=failed");
            var list = page.Locator("#jobs");
            await Assertions.Expect(list.Locator("tbody tr")).ToHaveCountAsync(2);
            await Assertions.Expect(page.Locator(".tabs a[aria-current=page]")).ToContainTextAsync("Failed");
            await HeadlessChromium.ScreenshotAsync(page, "list-failed");

            // Its page: status, attempts with the node and the error; then retry.
            var answer = await page.RunAndWaitForResponseAsync(() => page.ClickAsync($"#jobs a[href=\"/jobs/{failed}\"]"), r => r.Url.EndsWith($"/jobs/{failed}", StringComparison.Ordinal));
            (await answer.HeaderValueAsync("content-security-policy")).ShouldBe(SecurityHeadersMiddleware.JobsDashboardContentSecurityPolicy);
            await Assertions.Expect(page.Locator("#job-status")).ToHaveTextAsync("Failed");
            await Assertions.Expect(page.Locator("#attempts")).ToContainTextAsync("node-pages");
            await Assertions.Expect(page.Locator("#attempts")).ToContainTextAsync("boom: not yet");
            await HeadlessChromium.ScreenshotAsync(page, "detail-failed");
            await page.ClickAsync("button#retry");
            await page.WaitForURLAsync($"**/jobs/{failed}");

            await ReloadUntilAsync(page, "#job-status", "Succeeded");
            await Assertions.Expect(page.Locator("#attempts tbody tr")).ToHaveCountAsync(2);
            await Assertions.Expect(page.Locator("#attempts tbody tr").Last).ToContainTextAsync("succeeded");
            await HeadlessChromium.ScreenshotAsync(page, "detail-succeeded");

            // The other one through the list's selection.
            await page.GotoAsync("/jobs/list?state=failed");
            await page.CheckAsync($"input[name=id][value=\"{alsoFailed}\"]");
            await page.ClickAsync("text=Retry selected");
            await Assertions.Expect(page.Locator("#retried-summary")).ToHaveTextAsync("1 of 1 retried.");
            await page.ClickAsync($"#retried a[href=\"/jobs/{alsoFailed}\"]");
            await ReloadUntilAsync(page, "#job-status", "Succeeded");
        });

        (await JobRows.GetAsync(database.Name, failed)).State.ShouldBe("succeeded");
        (await JobRows.CountAsync(database.Name, $"WHERE id IN ('{failed}', '{alsoFailed}') AND state = 'succeeded'")).ShouldBe(2);
        console.ShouldBeEmpty();
    }

    [Fact]
    public async Task AnInstanceAdmin_CancelsARunningJobFromItsPage_AndSeesItCancelled()
    {
        await _identity.RegisterAsync(AdminEmail);
        var held = await EnqueueAsync(HoldKind);
        await JobRows.WaitForAsync(database.Name, held, Patience, "running");

        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _baseAddress.ToString() });
        var page = await context.NewPageAsync();
        var console = DashboardBrowser.WatchConsole(page);

        await DashboardBrowser.RunAsync(page, async () =>
        {
            await DashboardBrowser.SignInAsync(page, AdminEmail);
            await Assertions.Expect(page.Locator("#running")).ToContainTextAsync("node-pages");
            await page.ClickAsync($"#running a[href=\"/jobs/{held}\"]");
            await Assertions.Expect(page.Locator("#job-status")).ToHaveTextAsync("Running");
            await Assertions.Expect(page.Locator("#job")).ToContainTextAsync("node-pages");
            await Assertions.Expect(page.Locator("#job")).ToContainTextAsync("Lease expires");
            await HeadlessChromium.ScreenshotAsync(page, "detail-running");

            await page.ClickAsync("button#cancel");
            await page.WaitForURLAsync($"**/jobs/{held}");
            await ReloadUntilAsync(page, "#job-status", "Cancelled");
            await Assertions.Expect(page.Locator("#attempts tbody tr").Last).ToContainTextAsync("cancelled");
            await HeadlessChromium.ScreenshotAsync(page, "detail-cancelled");

            await page.GotoAsync("/jobs/list?state=cancelled");
            await Assertions.Expect(page.Locator($"#jobs a[href=\"/jobs/{held}\"]")).ToHaveCountAsync(1);
            await HeadlessChromium.ScreenshotAsync(page, "list-cancelled");
        });

        (await JobRows.GetAsync(database.Name, held)).State.ShouldBe("cancelled");
        console.ShouldBeEmpty();
    }

    [Fact]
    public async Task TheSucceededList_ShowsAJobThatSucceedsWhileItIsOpen_WithoutAReload()
    {
        await _identity.RegisterAsync(AdminEmail);
        _failing = false;
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _baseAddress.ToString() });
        var page = await context.NewPageAsync();
        var console = DashboardBrowser.WatchConsole(page);

        await DashboardBrowser.RunAsync(page, async () =>
        {
            await DashboardBrowser.SignInAsync(page, AdminEmail);
            await page.GotoAsync("/jobs/list?state=succeeded");
            var job = await EnqueueAsync(FlakyKind);
            await JobRows.WaitForAsync(database.Name, job, Patience, "succeeded");

            await Assertions.Expect(page.Locator($"#jobs a[href=\"/jobs/{job}\"]")).ToHaveCountAsync(1, new() { Timeout = (float)Patience.TotalMilliseconds });
            await HeadlessChromium.ScreenshotAsync(page, "list-live");
        });

        console.ShouldBeEmpty();
    }

    /// <summary>Reloads the page until <paramref name="selector"/> reads <paramref name="text"/> (sooner than its script would refresh it).</summary>
    private static async Task ReloadUntilAsync(IPage page, string selector, string text)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var current = await page.Locator(selector).InnerTextAsync();
            if (current == text)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                current.ShouldBe(text, $"{selector} after {Patience}");
            }

            await Task.Delay(250, TestContext.Current.CancellationToken);
            await page.ReloadAsync();
        }
    }

    private async Task<Guid> EnqueueAsync(string kind)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var id = scope.ServiceProvider.GetRequiredService<IJobScheduler>().Enqueue(new JobRequest(kind, """{"secret":"canary-payload"}""", null));
        await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(TestContext.Current.CancellationToken);
        return id;
    }
}
