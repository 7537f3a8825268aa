using System.Net;
using System.Text.RegularExpressions;
using Loupe.Api.Http;
using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Persistence;
using Loupe.Integration.Tests.Jobs;
using Loupe.Integration.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Loupe.Integration.Tests.Browser;

/// <summary>
/// The jobs dashboard in a real headless Chromium against the real host on a real socket: an instance
/// administrator signs in on the form and sees the counts of the database, kept current by the page's
/// script under the pages' strict content security policy; nobody else learns that the pages exist.
/// </summary>
[Collection(JobEngineSerial.Name)]
public sealed partial class JobsDashboardBrowserTests(DatabaseFixture database, HeadlessChromium chromium)
    : ResetBeforeEachTest(database), IClassFixture<DatabaseFixture>, IClassFixture<HeadlessChromium>
{
    private const string AdminEmail = "operator@example.com";
    private const string TestKind = "test.browser";

    private static readonly string[] ProblemFields = ["type", "title", "status", "detail", "code"];

    private LoupeApiFactory _factory = null!;
    private IdentityDriver _identity = null!;
    private Uri _baseAddress = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _factory = LoupeApiFactory.For(database, settings: new Dictionary<string, string?> { ["Auth:InstanceAdmins:0"] = AdminEmail });
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
    public async Task AnInstanceAdmin_SignsIn_AndSeesTheCountsOfTheDatabase_KeptCurrentUnderTheStrictPolicy()
    {
        await _identity.RegisterAsync(AdminEmail);
        await JobRows.ExecuteAsync(database.Name, "DELETE FROM jobs");
        await EnqueueAsync(3);
        await InStateAsync(await EnqueueAsync(1), "scheduled");
        await InStateAsync(await EnqueueAsync(1), "running");
        await InStateAsync(await EnqueueAsync(2), "succeeded");
        await InStateAsync(await EnqueueAsync(2), "failed");
        await InStateAsync(await EnqueueAsync(1), "dead_lettered");
        await InStateAsync(await EnqueueAsync(1), "cancelled");

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
        var refused = new List<string>();
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                refused.Add($"{response.Status} {response.Url}");
            }
        };

        await DashboardBrowser.RunAsync(page, async () =>
        {
            await DashboardBrowser.SignInAsync(page, AdminEmail);
            var overview = await page.GotoAsync("/jobs");
            overview!.Status.ShouldBe(200);
            (await overview.HeaderValueAsync("content-security-policy")).ShouldBe(SecurityHeadersMiddleware.JobsDashboardContentSecurityPolicy);
            (await overview.HeaderValueAsync("x-content-type-options")).ShouldBe("nosniff");
            (await overview.HeaderValueAsync("x-frame-options")).ShouldBe("DENY");

            var expected = new Dictionary<string, long>
            {
                ["queued"] = 3,
                ["scheduled"] = 1,
                ["retrying"] = 0,
                ["running"] = 1,
                ["succeeded"] = 2,
                ["failed"] = 2,
                ["dead_lettered"] = 1,
                ["cancelled"] = 1,
            };
            foreach (var (status, jobs) in expected)
            {
                (await page.Locator($"[data-job-count=\"{status}\"]").InnerTextAsync()).ShouldBe(jobs.ToString(System.Globalization.CultureInfo.InvariantCulture), status);
            }

            expected.Values.Sum().ShouldBe(await JobRows.CountAsync(database.Name, string.Empty));
            (await page.Locator("#running").InnerTextAsync()).ShouldContain("node-browser");
            (await page.Locator("#failures").InnerTextAsync()).ShouldContain("boom: the test said so");
            (await page.ContentAsync()).ShouldNotContain("canary-payload");
            await HeadlessChromium.ScreenshotAsync(page, "overview");

            // The page's own script (allowed as 'self') keeps the counts current.
            await page.Locator("#refresh-status").Filter(new LocatorFilterOptions { HasTextRegex = UpdatesRegex() }).WaitForAsync();
            await EnqueueAsync(1);
            await Assertions.Expect(page.Locator("[data-job-count=\"queued\"]")).ToHaveTextAsync("4", new LocatorAssertionsToHaveTextOptions { Timeout = 30_000 });
            await HeadlessChromium.ScreenshotAsync(page, "overview-refreshed");

            refused.ShouldBeEmpty();
            console.ShouldBeEmpty();
        });
    }

    [Fact]
    public async Task AnOrganizationMember_AndAnAnonymousVisitor_GetTheNotFoundOfAPathThatDoesNotExist()
    {
        // The first person to register on a fresh instance is an instance admin: someone else is first.
        await _identity.RegisterAsync(AdminEmail);
        var member = await _identity.RegisterAsync();
        using var anonymous = _identity.Anonymous();
        var missing = await anonymous.GetAsync(new Uri("/jobs/no-such-page", UriKind.Relative), TestContext.Current.CancellationToken);
        var missingProblem = await ProblemAsync(missing);

        foreach (var path in new[] { "/jobs", "/jobs/overview.json" })
        {
            foreach (var client in new[] { anonymous, member.Client })
            {
                using var response = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
                response.StatusCode.ShouldBe(HttpStatusCode.NotFound, path);
                (await ProblemAsync(response)).ShouldBe(missingProblem, path);
                response.Content.Headers.ContentType!.MediaType.ShouldBe(missing.Content.Headers.ContentType!.MediaType);
            }
        }

        // In the browser too: signed in on the form with the right password, a member still finds nothing.
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _baseAddress.ToString() });
        var page = await context.NewPageAsync();
        await DashboardBrowser.RunAsync(page, async () =>
        {
            var visit = await page.GotoAsync("/jobs");
            visit!.Status.ShouldBe(404);
            await DashboardBrowser.SignInAsync(page, member.Email);
            page.Url.ShouldEndWith("/jobs");
            (await page.GotoAsync("/jobs"))!.Status.ShouldBe(404);
            await HeadlessChromium.ScreenshotAsync(page, "member-not-found");
        });
    }

    [Fact]
    public async Task AnInstanceAdminsBearerToken_OpensThePages()
    {
        var admin = await _identity.RegisterAsync(AdminEmail);

        using var response = await admin.Client.GetAsync(new Uri("/jobs", UriKind.Relative), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("data-job-count=\"queued\"");
    }

    [Fact]
    public async Task SignIn_WithoutOrWithAForgedAntiforgeryToken_IsRefused_AndSigningOutEndsTheSession()
    {
        await _identity.RegisterAsync(AdminEmail);
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _baseAddress.ToString() });
        var page = await context.NewPageAsync();

        await DashboardBrowser.RunAsync(page, async () =>
        {
            await page.GotoAsync("/jobs/sign-in");
            var withoutToken = await context.APIRequest.PostAsync("/jobs/sign-in", new APIRequestContextOptions
            {
                Form = FormWith(email: AdminEmail, password: IdentityDriver.Password),
            });
            var forged = FormWith(email: AdminEmail, password: IdentityDriver.Password);
            forged.Set("__antiforgery", "CfDJ8forged");
            var withForgedToken = await context.APIRequest.PostAsync("/jobs/sign-in", new APIRequestContextOptions { Form = forged });

            withoutToken.Status.ShouldBe(400);
            withForgedToken.Status.ShouldBe(400);
            (await context.CookiesAsync()).ShouldNotContain(cookie => cookie.Name == "loupe_jobs_session");
            (await page.GotoAsync("/jobs"))!.Status.ShouldBe(404);

            // The form's own token works, and the session cookie is HttpOnly, SameSite=Strict and scoped to /jobs.
            await DashboardBrowser.SignInAsync(page, AdminEmail);
            var session = (await context.CookiesAsync()).Single(cookie => cookie.Name == "loupe_jobs_session");
            session.HttpOnly.ShouldBeTrue();
            session.SameSite.ShouldBe(SameSiteAttribute.Strict);
            session.Path.ShouldBe("/jobs");
            (await page.GotoAsync("/jobs"))!.Status.ShouldBe(200);
            using var replay = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = _baseAddress };
            (await ReplayAsync(replay, session.Value)).ShouldBe(HttpStatusCode.OK);

            // Signing out (a form with its token) ends the session: the cookie is gone, and replayed it opens nothing.
            await page.ClickAsync("header button[type=submit]");
            await page.WaitForURLAsync("**/jobs/sign-in");
            (await context.CookiesAsync()).ShouldNotContain(cookie => cookie.Name == "loupe_jobs_session");
            (await page.GotoAsync("/jobs"))!.Status.ShouldBe(404);
            (await ReplayAsync(replay, session.Value)).ShouldBe(HttpStatusCode.NotFound);
        });

        IFormData FormWith(string email, string password)
        {
            var form = context.APIRequest.CreateFormData();
            form.Set("email", email);
            form.Set("password", password);
            return form;
        }
    }

    [Fact]
    public async Task AWrongPassword_ShowsTheFormAgain_WithTheLoginCommandsAnswer()
    {
        await _identity.RegisterAsync(AdminEmail);
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _baseAddress.ToString() });
        var page = await context.NewPageAsync();

        await DashboardBrowser.RunAsync(page, async () =>
        {
            await page.GotoAsync("/jobs/sign-in");
            await page.FillAsync("#email", AdminEmail);
            await page.FillAsync("#password", "not the password");
            var answer = await SubmitAsync(page);

            answer.Status.ShouldBe(401);

            // The form first shown has no notice, so the notice appearing is the answered page being in place;
            // waiting for it (not for a load state the first page had already reached) is what makes the next reads safe.
            var notice = page.Locator("[role=alert]");
            await Assertions.Expect(notice).ToHaveTextAsync("Invalid email or password.");
            (await notice.InnerTextAsync()).ShouldBe("Invalid email or password.");
            (await page.InputValueAsync("#email")).ShouldBe(AdminEmail);
            await HeadlessChromium.ScreenshotAsync(page, "sign-in-refused");
        });
    }

    /// <summary>Sends <c>GET /jobs</c> with only the session cookie <paramref name="value"/>; its status.</summary>
    private static async Task<HttpStatusCode> ReplayAsync(HttpClient client, string value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/jobs");
        request.Headers.Add("Cookie", $"loupe_jobs_session={value}");
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    /// <summary>What a 404 problem says, without what differs from one request to the next (instance, ids).</summary>
    private static async Task<string> ProblemAsync(HttpResponseMessage response)
    {
        var problem = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        return string.Join(
            " | ",
            ProblemFields.Select(name => problem.TryGetProperty(name, out var value) ? value.ToString() : "-"));
    }

    /// <summary>Submits the sign-in form; the answer to its POST.</summary>
    private static Task<IResponse> SubmitAsync(IPage page) =>
        page.RunAndWaitForResponseAsync(
            () => page.ClickAsync("button[type=submit]"),
            response => response.Request.Method == "POST" && response.Url.EndsWith("/jobs/sign-in", StringComparison.Ordinal));

    private async Task<IReadOnlyList<Guid>> EnqueueAsync(int count)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var scheduler = scope.ServiceProvider.GetRequiredService<IJobScheduler>();
        var ids = Enumerable.Range(0, count)
            .Select(_ => scheduler.Enqueue(new JobRequest(TestKind, """{"secret":"canary-payload"}""", null)))
            .ToList();
        await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(TestContext.Current.CancellationToken);
        return ids;
    }

    private async Task InStateAsync(IReadOnlyList<Guid> ids, string state)
    {
        var list = string.Join(", ", ids.Select(id => $"'{id}'"));
        var set = state switch
        {
            "scheduled" => "run_at = now() + interval '1 hour'",
            "running" => "state = 'running', attempt = 1, lease_owner = 'node-browser', claimed_at = now(), started_at = now(), heartbeat_at = now(), lease_expires_at = now() + interval '1 hour'",
            "failed" => "state = 'failed', attempt = 1, error = 'boom: the test said so', started_at = now(), finished_at = now()",
            "dead_lettered" => "state = 'dead_lettered', attempt = max_attempts, error = 'boom: the test said so', started_at = now(), finished_at = now()",
            _ => $"state = '{state}', attempt = 1, started_at = now(), finished_at = now()",
        };
        await JobRows.ExecuteAsync(database.Name, $"UPDATE jobs SET {set} WHERE id IN ({list})");
    }

    [GeneratedRegex("^Updat")]
    private static partial Regex UpdatesRegex();
}
