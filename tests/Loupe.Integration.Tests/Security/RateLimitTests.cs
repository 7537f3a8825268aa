using System.Globalization;
using System.Net;
using Loupe.Api.RateLimiting;
using Loupe.Integration.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Loupe.Integration.Tests.Security;

public sealed class RateLimitTests(DatabaseFixture database) : ResetBeforeEachTest(database), IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task GlobalLimit_RefusesTheRequestOverTheLimit_With429ProblemAndRetryAfter()
    {
        await using var factory = Factory(("RateLimits:GlobalPerMinute", "3"));
        using var client = factory.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            using var allowed = await client.GetAsync("/api/v1/_probe/ping", TestContext.Current.CancellationToken);
            allowed.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        using var refused = await client.GetAsync("/api/v1/_probe/ping", TestContext.Current.CancellationToken);

        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture);
        retryAfter.ShouldBeInRange(1, 60);
        problem.GetProperty("detail").GetString().ShouldBe($"Too many requests; retry after {retryAfter} seconds.");
        factory.Services.GetRequiredService<RateLimitRejections>().Count.ShouldBe(1);
    }

    [Fact]
    public async Task HealthProbes_AreNeverLimited()
    {
        await using var factory = Factory(("RateLimits:GlobalPerMinute", "2"));
        using var client = factory.CreateClient();

        for (var i = 0; i < 6; i++)
        {
            using var live = await client.GetAsync("/health/live", TestContext.Current.CancellationToken);
            live.StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task AuthPolicy_IsStricterThanTheGlobalLimit_OnTheEndpointsThatUseIt()
    {
        await using var factory = Factory(("RateLimits:AuthPerMinute", "2"));
        using var client = factory.CreateClient();

        using var first = await client.GetAsync("/api/v1/_probe/auth-limited", TestContext.Current.CancellationToken);
        using var second = await client.GetAsync("/api/v1/_probe/auth-limited", TestContext.Current.CancellationToken);
        using var third = await client.GetAsync("/api/v1/_probe/auth-limited", TestContext.Current.CancellationToken);
        using var elsewhere = await client.GetAsync("/api/v1/_probe/ping", TestContext.Current.CancellationToken);

        first.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        second.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await third.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        third.Headers.Contains("Retry-After").ShouldBeTrue();
        elsewhere.StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task ForwardedFor_FromAnUnknownPeer_DoesNotEscapeTheLimit()
    {
        await using var factory = Factory(("RateLimits:GlobalPerMinute", "2"));
        using var client = factory.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 1; i <= 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/_probe/ping");
            request.Headers.Add("X-Forwarded-For", $"203.0.113.{i}");
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            statuses.Add(response.StatusCode);
        }

        statuses.ShouldBe([HttpStatusCode.NoContent, HttpStatusCode.NoContent, HttpStatusCode.TooManyRequests]);
    }

    [Fact]
    public async Task ForwardedFor_FromAConfiguredProxy_PartitionsByTheClientItNames()
    {
        await using var factory = Factory(("RateLimits:GlobalPerMinute", "2"), ("Http:KnownProxies:0", "127.0.0.1"));
        using var client = factory.CreateClient();

        for (var i = 1; i <= 4; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/_probe/ping");
            request.Headers.Add("X-Forwarded-For", $"203.0.113.{i}");
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }
    }

    [Fact]
    public void StartUp_WithAProxyThatIsNotAnAddress_FailsNamingTheKey()
    {
#pragma warning disable CA2000
        var factory = Factory(("Http:KnownProxies:0", "proxy.internal"));
#pragma warning restore CA2000

        Should.Throw<Exception>(() => factory.CreateClient());

        factory.Logs.Lines.ShouldContain(line => line.Message.Contains("Http:KnownProxies:0"));
    }

    private LoupeApiFactory Factory(params (string Key, string? Value)[] settings) =>
        LoupeApiFactory.For(database, withProbes: true, settings: settings.ToDictionary(s => s.Key, s => s.Value));
}
