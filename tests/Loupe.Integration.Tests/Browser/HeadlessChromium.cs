using Microsoft.Playwright;

namespace Loupe.Integration.Tests.Browser;

/// <summary>
/// Debian's chromium, headless, driven by Playwright: the one <c>build/test.sh</c> installs and names in
/// <c>LOUPE_TEST_CHROMIUM</c> (Playwright never downloads a browser of its own). Screenshots go to
/// <see cref="ScreenshotFolder"/>.
/// </summary>
public sealed class HeadlessChromium : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots are kept: <c>LOUPE_TEST_SCREENSHOTS_DIR</c> (build/test.sh: the checkout's TestResults/screenshots), else one in the temp folder.</summary>
    public static string ScreenshotFolder { get; } =
        Environment.GetEnvironmentVariable("LOUPE_TEST_SCREENSHOTS_DIR") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Path.GetTempPath(), "loupe-test-results", "screenshots");

    public async ValueTask InitializeAsync()
    {
        var executable = Environment.GetEnvironmentVariable("LOUPE_TEST_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"No chromium at {executable}: run the tests with ./build/test.sh, which installs Debian's chromium.");
        }

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = executable, Headless = true });
        Directory.CreateDirectory(ScreenshotFolder);
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>A screenshot of the whole page, named after the test and <paramref name="step"/>.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string step)
    {
        var test = TestContext.Current.Test?.TestDisplayName ?? "test";
        var name = string.Concat($"{test}-{step}".Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
        var file = Path.Combine(ScreenshotFolder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
        return file;
    }
}
