using System.Net;
using System.Text.RegularExpressions;

namespace Loupe.Integration.Tests.JobsDashboard;

/// <summary>The dashboard's pages read over plain HTTP: a client that keeps its cookies, a page, a form's anti-forgery token.</summary>
internal static partial class DashboardHttp
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A client of its own (cookies kept, redirects not followed), with an access token or none.</summary>
    public static HttpClient Client(Uri baseAddress, string? accessToken)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseCookies = true, CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = baseAddress,
        };
        if (accessToken is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        }

        return client;
    }

    /// <summary>A page that must answer 200; its HTML.</summary>
    public static async Task<string> PageAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"{path}: {text}");
        return text;
    }

    /// <summary>Opens a page (its anti-forgery cookie kept by the client) and returns its form token.</summary>
    public static async Task<string> TokenAsync(HttpClient client, string path)
    {
        var page = await PageAsync(client, path);
        var match = TokenRegex().Match(page);
        match.Success.ShouldBeTrue(path);
        return match.Groups[1].Value;
    }

    [GeneratedRegex("name=\"__antiforgery\" value=\"([^\"]+)\"")]
    public static partial Regex TokenRegex();
}
