using Loupe.Integration.Tests.Support;
using Microsoft.Playwright;

namespace Loupe.Integration.Tests.Browser;

/// <summary>The steps every browser test of the jobs dashboard shares: signing in on the form, keeping a screenshot when a step fails, and watching the console.</summary>
internal static class DashboardBrowser
{
    /// <summary>Signs in on the form as <paramref name="email"/>: its POST answers a redirect to the overview, which is then loaded.</summary>
    public static async Task SignInAsync(IPage page, string email)
    {
        await page.GotoAsync("/jobs/sign-in");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", IdentityDriver.Password);
        var answer = await page.RunAndWaitForResponseAsync(
            () => page.ClickAsync("button[type=submit]"),
            response => response.Request.Method == "POST" && response.Url.EndsWith("/jobs/sign-in", StringComparison.Ordinal));
        answer.Status.ShouldBe(302);
        await page.WaitForURLAsync("**/jobs");
    }

    /// <summary>Runs the browser steps; on failure keeps a screenshot of where the page was.</summary>
    public static async Task RunAsync(IPage page, Func<Task> steps, string step = "failure")
    {
        try
        {
            await steps();
        }
        catch
        {
            await HeadlessChromium.ScreenshotAsync(page, step);
            throw;
        }
    }

    /// <summary>Errors and warnings of the page's console and its uncaught errors (a policy violation shows there).</summary>
    public static List<string> WatchConsole(IPage page)
    {
        var console = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                console.Add(message.Text);
            }
        };
        page.PageError += (_, error) => console.Add(error);
        return console;
    }
}
