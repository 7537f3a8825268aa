using System.Net;
using Loupe.Integration.Tests.Identity.Auth;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Security;

/// <summary>A host that lets one single-page app origin call it from a browser.</summary>
public sealed class CorsHost() : AuthHost(new Dictionary<string, string?> { ["Cors:AllowedOrigins:0"] = CorsTests.SpaOrigin + "/" });

/// <summary>Browsers may call the API only from the configured origins, and read the headers a client needs.</summary>
public sealed class CorsTests(CorsHost host) : ResetBeforeEachTest(host), IClassFixture<CorsHost>
{
    public const string SpaOrigin = "https://spa.example.test";

    private static readonly string[] ClientHeaders = ["ETag", "Location", "Retry-After", "X-Request-Id", "RateLimit-Remaining"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task APreflight_FromTheConfiguredOrigin_IsAllowed_WithTheMethodAndHeaders()
    {
        using var response = await PreflightAsync(SpaOrigin, "POST", "authorization,content-type,x-request-id");

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        response.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe([SpaOrigin]);
        string.Join(",", response.Headers.GetValues("Access-Control-Allow-Methods")).ShouldContain("POST");
        string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")).ToLowerInvariant().ShouldContain("authorization");
        response.Headers.Contains("Access-Control-Allow-Credentials").ShouldBeFalse();
    }

    [Theory]
    [InlineData("https://evil.example.test")]
    [InlineData("http://spa.example.test")]
    [InlineData("https://spa.example.test:8443")]
    public async Task APreflight_FromAnotherOrigin_IsRefused(string origin)
    {
        using var response = await PreflightAsync(origin, "DELETE", "authorization");

        response.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
        response.Headers.Contains("Access-Control-Allow-Methods").ShouldBeFalse();
    }

    [Fact]
    public async Task AnAnswer_ToTheConfiguredOrigin_ExposesTheHeadersAClientReads_EvenOnAProblem()
    {
        var member = await host.Identity.RegisterAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        request.Headers.Add("Origin", SpaOrigin);
        using var unauthorized = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        unauthorized.Headers.Add("Origin", SpaOrigin);

        using var ok = await member.Client.SendAsync(request, Ct);
        using var problem = await host.Anonymous.SendAsync(unauthorized, Ct);

        ok.StatusCode.ShouldBe(HttpStatusCode.OK);
        ok.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe([SpaOrigin]);
        var exposed = string.Join(",", ok.Headers.GetValues("Access-Control-Expose-Headers")).Split(',').Select(h => h.Trim()).ToList();
        ClientHeaders.ShouldBeSubsetOf(exposed);
        await problem.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        problem.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe([SpaOrigin]);
    }

    [Fact]
    public async Task AnAnswer_ToAnotherOrigin_CarriesNoCorsHeaders()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.Add("Origin", "https://evil.example.test");

        using var response = await host.Anonymous.SendAsync(request, Ct);

        response.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
        response.Headers.Contains("Access-Control-Expose-Headers").ShouldBeFalse();
    }

    private async Task<HttpResponseMessage> PreflightAsync(string origin, string method, string headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/runs");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", headers);
        return await host.Anonymous.SendAsync(request, Ct);
    }
}
