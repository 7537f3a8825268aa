using Loupe.Api.Http;
using Loupe.Integration.Tests.AdminJobs;
using Loupe.Integration.Tests.Jobs;
using Loupe.Integration.Tests.Support;
using Microsoft.Playwright;
using static Loupe.Integration.Tests.Schedules.SchedulesApi;

namespace Loupe.Integration.Tests.Browser;

/// <summary>
/// The dashboard's recurring jobs in a real headless Chromium against the real host: an instance admin
/// pauses and resumes another organization's schedule and triggers a system job with the page's forms,
/// and sees each change on the page and in the database; a refused action shows the page again with why.
/// </summary>
[Collection(JobEngineSerial.Name)]
public sealed class JobsDashboardRecurringBrowserTests(RecurringJobsApi api, HeadlessChromium chromium)
    : ResetBeforeEachTest(api), IClassFixture<RecurringJobsApi>, IClassFixture<HeadlessChromium>
{
    [Fact]
    public async Task AnInstanceAdmin_PausesAndResumesASchedule_AndTriggersASystemJob_FromThePage()
    {
        var admin = await api.Identity.RegisterAsync();
        var org = await api.OrganizationAsync();
        var schedule = (await CreateAsync(org.Editor, org.QueryId, "15 7 * * *")).Body.GetProperty("id").GetGuid();
        using var client = api.Factory.CreateClient();
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = client.BaseAddress!.ToString() });
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
            await DashboardBrowser.SignInAsync(page, admin.Email);
            var visit = await page.GotoAsync("/jobs/recurring");
            visit!.Status.ShouldBe(200);
            (await visit.HeaderValueAsync("content-security-policy")).ShouldBe(SecurityHeadersMiddleware.JobsDashboardContentSecurityPolicy);
            var row = page.Locator($"tr[data-schedule=\"{schedule}\"]");
            (await row.InnerTextAsync()).ShouldContain("15 7 * * *");
            (await row.Locator("[data-state]").InnerTextAsync()).ShouldBe("active");
            await HeadlessChromium.ScreenshotAsync(page, "recurring");

            // Pause: the form posts the admin API's command, and the page comes back with the schedule stopped.
            await ClickAsync(page, row.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Pause" }));
            (await row.Locator("[data-state]").InnerTextAsync()).ShouldBe("disabled");
            (await GetAsync(org.Editor, schedule)).GetProperty("enabled").GetBoolean().ShouldBeFalse();
            await HeadlessChromium.ScreenshotAsync(page, "schedule-paused");

            await ClickAsync(page, row.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Resume" }));
            (await row.Locator("[data-state]").InnerTextAsync()).ShouldBe("active");
            (await GetAsync(org.Editor, schedule)).GetProperty("enabled").GetBoolean().ShouldBeTrue();

            // Trigger a system job now: it is queued, and the page shows its run.
            var retention = page.Locator("tr[data-kind=\"results.retention\"]");
            (await retention.InnerTextAsync()).ShouldContain("never");
            await ClickAsync(page, retention.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Trigger now" }));
            (await api.ScalarAsync("SELECT count(*) FROM jobs WHERE kind = 'results.retention' AND organization_id IS NULL")).ShouldBe(1);
            (await retention.InnerTextAsync()).ShouldContain("UTC");
            (await api.ScalarAsync($"SELECT count(*) FROM audit_events WHERE action IN ('schedule.disabled_by_admin', 'schedule.enabled_by_admin', 'system_job.triggered') AND actor_user_id = '{admin.UserId}'"))
                .ShouldBe(3);
            await HeadlessChromium.ScreenshotAsync(page, "system-job-triggered");
            console.ShouldBeEmpty();

            // A refused action shows the page again, with why (the browser reports its 409 on the console).
            await api.ExecuteOwnerAsync(
                "INSERT INTO jobs (id, kind, queue, priority, payload, organization_id, state, attempt, max_attempts, run_at, unique_key, enqueued_at) " +
                $"VALUES ('{Guid.CreateVersion7()}', 'jobs.retention', 'default', 2, '{{}}', NULL, 'queued', 0, 3, now() + interval '1 hour', 'jobs.retention', now())");
            var refused = await page.RunAndWaitForResponseAsync(
                () => page.Locator("tr[data-kind=\"jobs.retention\"]").GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Trigger now" }).ClickAsync(),
                response => response.Request.Method == "POST");
            refused.Status.ShouldBe(409);

            // The page shown before had no notice: the notice appearing is the answered page being in place.
            await Assertions.Expect(page.Locator("[role=alert]")).ToContainTextAsync("system_job.already_queued");
            await HeadlessChromium.ScreenshotAsync(page, "refused");
        });
    }

    [Fact]
    public async Task TheFormsWithoutTheirAntiforgeryToken_AndEveryoneButAnInstanceAdmin_ChangeNothing()
    {
        var admin = await api.Identity.RegisterAsync();
        var org = await api.OrganizationAsync();
        var schedule = (await CreateAsync(org.Editor, org.QueryId)).Body.GetProperty("id").GetGuid();
        using var client = api.Factory.CreateClient();
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = client.BaseAddress!.ToString() });
        var page = await context.NewPageAsync();

        await DashboardBrowser.RunAsync(page, async () =>
        {
            // Anonymous and a member signed in on the form: the page does not exist for them.
            (await page.GotoAsync("/jobs/recurring"))!.Status.ShouldBe(404);
            (await context.APIRequest.PostAsync($"/jobs/recurring/schedules/{schedule}/pause")).Status.ShouldBe(404);
            await DashboardBrowser.SignInAsync(page, org.Admin.Email);
            (await page.GotoAsync("/jobs/recurring"))!.Status.ShouldBe(404);
            (await context.APIRequest.PostAsync($"/jobs/recurring/schedules/{schedule}/pause")).Status.ShouldBe(404);
            await context.ClearCookiesAsync();

            // The admin's session without the form's token is refused.
            await DashboardBrowser.SignInAsync(page, admin.Email);
            (await context.APIRequest.PostAsync($"/jobs/recurring/schedules/{schedule}/pause")).Status.ShouldBe(400);
            var forged = context.APIRequest.CreateFormData();
            forged.Set("__antiforgery", "CfDJ8forged");
            (await context.APIRequest.PostAsync("/jobs/recurring/system/jobs.retention/pause", new APIRequestContextOptions { Form = forged })).Status.ShouldBe(400);
        });

        (await GetAsync(org.Editor, schedule)).GetProperty("enabled").GetBoolean().ShouldBeTrue();
        (await api.ScalarAsync("SELECT count(*) FROM recurring_job_pauses")).ShouldBe(0);
    }

    /// <summary>Clicks a form's button; waits for the redirect back to the page.</summary>
    private static async Task ClickAsync(IPage page, ILocator button)
    {
        var answer = await page.RunAndWaitForResponseAsync(() => button.ClickAsync(), response => response.Request.Method == "POST");
        answer.Status.ShouldBe(302);
        await page.WaitForURLAsync("**/jobs/recurring");
        await page.WaitForLoadStateAsync(LoadState.Load);
    }
}
