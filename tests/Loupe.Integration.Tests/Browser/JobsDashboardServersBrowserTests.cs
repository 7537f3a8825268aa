using System.Net;
using Loupe.Api.Http;
using Loupe.Integration.Tests.Jobs;
using Loupe.Integration.Tests.Support;
using Microsoft.Playwright;

namespace Loupe.Integration.Tests.Browser;

/// <summary>
/// The dashboard's engine pages in a real headless Chromium against the real host, its job engine
/// running: an instance administrator sees the host's node on the servers page, and pauses and
/// resumes a queue with the queues page's forms; nobody else finds the pages or their forms.
/// </summary>
[Collection(JobEngineSerial.Name)]
public sealed class JobsDashboardServersBrowserTests(DatabaseFixture database, HeadlessChromium chromium)
    : ResetBeforeEachTest(database), IClassFixture<DatabaseFixture>, IClassFixture<HeadlessChromium>
{
    private const string AdminEmail = "operator@example.com";

    private LoupeApiFactory _factory = null!;
    private IdentityDriver _identity = null!;
    private Uri _baseAddress = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _factory = LoupeApiFactory.For(database, settings: new Dictionary<string, string?>
        {
            ["Auth:InstanceAdmins:0"] = AdminEmail,
            ["Jobs:RunInApi"] = "true",
            ["Jobs:Queues:0"] = "default",
            ["Jobs:Queues:1"] = "reports",
        });
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
    public async Task AnInstanceAdmin_SeesTheHostsNode_AndPausesThenResumesAQueue_WithThePagesForms()
    {
        await _identity.RegisterAsync(AdminEmail);
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _baseAddress.ToString() });
        var page = await context.NewPageAsync();
        var console = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                console.Add(message.Text);
            }
        };
        page.PageError += (_, error) => console.Add(error);

        await DashboardBrowser.RunAsync(page, async () =>
        {
            await DashboardBrowser.SignInAsync(page, AdminEmail);

            // The node beats when the engine starts; the page lists it once its row is there.
            var servers = await Eventually.HoldsAsync(
                async () =>
                {
                    var answer = await page.GotoAsync("/jobs/servers");
                    return (answer!, await page.Locator("#servers tbody tr").CountAsync());
                },
                seen => seen.Item2 > 0,
                TimeSpan.FromSeconds(30),
                "the servers page lists the host's node",
                seen => $"{seen.Item1.Status} with {seen.Item2} rows");
            servers.Item1.Status.ShouldBe(200);
            (await servers.Item1.HeaderValueAsync("content-security-policy")).ShouldBe(SecurityHeadersMiddleware.JobsDashboardContentSecurityPolicy);
            var node = page.Locator("#servers tbody tr").First;
            var row = await node.InnerTextAsync();
            row.ShouldContain("API");
            row.ShouldContain("Live");
            row.ShouldContain(Environment.MachineName);
            row.ShouldContain("default, reports");
            (await node.GetAttributeAsync("class")).ShouldBeNull();
            (await page.Locator("nav a[aria-current=page]").InnerTextAsync()).ShouldBe("Servers");
            await HeadlessChromium.ScreenshotAsync(page, "servers");

            (await page.GotoAsync("/jobs/queues"))!.Status.ShouldBe(200);
            var reports = page.Locator("#queues tr[data-queue=reports]");
            (await reports.Locator("[data-queue-state]").InnerTextAsync()).ShouldBe("Active");
            await SubmitAsync(page, reports.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Pause" }), "/jobs/queues/reports/pause");

            page.Url.ShouldEndWith("/jobs/queues");
            (await reports.Locator("[data-queue-state]").InnerTextAsync()).ShouldStartWith("Paused since");
            (await reports.GetAttributeAsync("class")).ShouldBe("paused");
            (await page.Locator("#queues tr[data-queue=default] [data-queue-state]").InnerTextAsync()).ShouldBe("Active");
            (await PausedCountAsync()).ShouldBe(1);
            await HeadlessChromium.ScreenshotAsync(page, "queues-paused");

            await SubmitAsync(page, reports.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Resume" }), "/jobs/queues/reports/resume");
            (await reports.Locator("[data-queue-state]").InnerTextAsync()).ShouldBe("Active");
            (await PausedCountAsync()).ShouldBe(0);
            await HeadlessChromium.ScreenshotAsync(page, "queues");

            // A form posted without the page's token does nothing.
            var forged = await context.APIRequest.PostAsync("/jobs/queues/reports/pause");
            forged.Status.ShouldBe(400);
            (await PausedCountAsync()).ShouldBe(0);
            console.ShouldBeEmpty();

            // A form whose queue is not a queue name (changed in the page) shows the page again with the reason.
            await page.Locator("#queues tr[data-queue=default] form").EvaluateAsync("form => form.setAttribute('action', '/jobs/queues/Not%20A%20Queue/pause')");
            var refused = await page.RunAndWaitForResponseAsync(
                () => page.Locator("#queues tr[data-queue=default] button").ClickAsync(),
                response => response.Request.Method == "POST" && response.Url.Contains("/jobs/queues/", StringComparison.Ordinal));
            refused.Status.ShouldBe(400);

            // The page shown before had no notice: the notice appearing is the answered page being in place.
            await Assertions.Expect(page.Locator("[role=alert]")).ToContainTextAsync("A queue name is 1–64 lower-case letters");
            (await page.Locator("#queues tr[data-queue=default] [data-queue-state]").InnerTextAsync()).ShouldBe("Active");
            (await PausedCountAsync()).ShouldBe(0);

            // A queue's name opens the list of the jobs waiting in it.
            await page.Locator("#queues tr[data-queue=reports] a").ClickAsync();
            await page.WaitForURLAsync("**/jobs/list?state=queued&queue=reports");
            (await page.Locator("form.filter input[name=queue]").InputValueAsync()).ShouldBe("reports");
            (await page.Locator("nav.tabs a[aria-current=page]").InnerTextAsync()).ShouldStartWith("Queued");
        });
    }

    [Fact]
    public async Task AnOrganizationMember_AndAnAnonymousVisitor_FindNeitherThePagesNorTheirForms()
    {
        await _identity.RegisterAsync(AdminEmail);
        var member = await _identity.RegisterAsync();
        using var anonymous = _identity.Anonymous();

        foreach (var client in new[] { anonymous, member.Client })
        {
            foreach (var (method, path) in new[] { (HttpMethod.Get, "/jobs/servers"), (HttpMethod.Get, "/jobs/queues"), (HttpMethod.Post, "/jobs/queues/default/pause"), (HttpMethod.Post, "/jobs/queues/default/resume") })
            {
                using var response = await client.SendAsync(new HttpRequestMessage(method, new Uri(path, UriKind.Relative)), TestContext.Current.CancellationToken);
                response.StatusCode.ShouldBe(HttpStatusCode.NotFound, $"{method} {path}");
            }
        }

        (await PausedCountAsync()).ShouldBe(0);
    }

    private async Task<long> PausedCountAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(TestPostgres.OwnerConnection(database.Name));
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM job_queue_pauses", connection);
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    /// <summary>Clicks a form's button; the form's POST must answer a redirect back to the queues page, which is then loaded.</summary>
    private static async Task SubmitAsync(IPage page, ILocator button, string action)
    {
        var answer = await page.RunAndWaitForResponseAsync(
            () => button.ClickAsync(),
            response => response.Request.Method == "POST" && response.Url.EndsWith(action, StringComparison.Ordinal));
        answer.Status.ShouldBe(302);
        await page.WaitForURLAsync("**/jobs/queues");
        await page.WaitForLoadStateAsync(LoadState.Load);
    }
}
