using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
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
        problem.GetProperty("code").GetString().ShouldBe("rate_limited");
        Header(refused, "RateLimit-Remaining").ShouldBe(0);
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

    [Fact]
    public async Task EveryAnswer_SaysTheLimit_WhatIsLeft_AndWhenTheWindowEnds()
    {
        await using var factory = Factory(("RateLimits:GlobalPerMinute", "3"));
        using var client = factory.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            using var response = await client.GetAsync("/api/v1/_probe/ping", TestContext.Current.CancellationToken);
            response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
            Header(response, "RateLimit-Limit").ShouldBe(3);
            Header(response, "RateLimit-Remaining").ShouldBe(2 - i);
            Header(response, "RateLimit-Reset").ShouldBeInRange(1, 60);
        }
    }

    [Fact]
    public async Task ErrorAnswers_CarryTheHeadersToo()
    {
        await using var factory = Factory(("RateLimits:GlobalPerMinute", "3"));
        using var client = factory.CreateClient();

        using var missing = await client.GetAsync("/api/v1/_probe/no-such-thing", TestContext.Current.CancellationToken);

        await missing.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Header(missing, "RateLimit-Limit").ShouldBe(3);
        Header(missing, "RateLimit-Remaining").ShouldBe(2);
    }

    [Fact]
    public async Task SignedInPeople_AreCountedPerUser_NotPerAddress()
    {
        await using var factory = Factory(("RateLimits:GlobalPerMinute", "2"), ("RateLimits:UserPerMinute", "6"));
        var identity = new IdentityDriver(factory);
        var ada = await identity.RegisterAsync();
        var bob = await identity.RegisterAsync();
        using var anonymous = factory.CreateClient();

        // The same address is over its own limit for anonymous requests...
        for (var i = 0; i < 2; i++)
        {
            using var allowed = await anonymous.GetAsync("/api/v1/_probe/ping", TestContext.Current.CancellationToken);
            allowed.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        using var anonymousRefused = await anonymous.GetAsync("/api/v1/_probe/ping", TestContext.Current.CancellationToken);
        await anonymousRefused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);

        // ...while each signed-in person has a budget of their own, whatever the address.
        using var first = await ada.Client.GetAsync("/api/v1/_probe/ping", TestContext.Current.CancellationToken);
        first.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        Header(first, "RateLimit-Limit").ShouldBe(6);
        var left = Header(first, "RateLimit-Remaining");
        left.ShouldBeGreaterThan(2);
        for (var i = 0; i < left; i++)
        {
            using var allowed = await ada.Client.GetAsync("/api/v1/_probe/ping", TestContext.Current.CancellationToken);
            allowed.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        using var refused = await ada.Client.GetAsync("/api/v1/_probe/ping", TestContext.Current.CancellationToken);
        (await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests)).GetProperty("code").GetString().ShouldBe("rate_limited");
        refused.Headers.Contains("Retry-After").ShouldBeTrue();

        using var other = await bob.Client.GetAsync("/api/v1/_probe/ping", TestContext.Current.CancellationToken);
        other.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        Header(other, "RateLimit-Limit").ShouldBe(6);
    }

    [Theory]
    [InlineData("Bearer not-a-token")]
    [InlineData("Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl")]
    [InlineData("Bearer lp_ak_not-a-key")]
    public async Task ACredentialThatDoesNotAuthenticate_IsCountedAgainstItsAddress(string authorization)
    {
        await using var factory = Factory(("RateLimits:GlobalPerMinute", "2"), ("RateLimits:UserPerMinute", "50"), ("RateLimits:ApiKeyPerMinute", "50"));
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);

        using var first = await client.GetAsync("/api/v1/_probe/ping", TestContext.Current.CancellationToken);
        using var second = await client.GetAsync("/api/v1/_probe/ping", TestContext.Current.CancellationToken);
        using var third = await client.GetAsync("/api/v1/_probe/ping", TestContext.Current.CancellationToken);

        Header(first, "RateLimit-Limit").ShouldBe(2);
        Header(second, "RateLimit-Remaining").ShouldBe(0);
        await third.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task ApiKeys_AreCountedPerKey()
    {
        await using var factory = Factory(("RateLimits:GlobalPerMinute", "2"), ("RateLimits:ApiKeyPerMinute", "4"));
        var admin = await new IdentityDriver(factory).RegisterAsync();
        using var created = await admin.Client.PostAsJsonAsync("/api/v1/api-keys", new { name = "poller", role = "viewer" }, TestContext.Current.CancellationToken);
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var secret = (await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("secret").GetString()!;
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", secret);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await client.GetAsync("/api/v1/_probe/ping", TestContext.Current.CancellationToken);
            Header(response, "RateLimit-Limit").ShouldBe(4);
            statuses.Add(response.StatusCode);
        }

        statuses.ShouldBe([HttpStatusCode.NoContent, HttpStatusCode.NoContent, HttpStatusCode.NoContent, HttpStatusCode.NoContent, HttpStatusCode.TooManyRequests]);
    }

    [Fact]
    public async Task StartingRuns_HasASmallerBudget_ThanTheRestOfTheCallersRequests()
    {
        await using var factory = Factory(("RateLimits:UserPerMinute", "50"), ("RateLimits:RunStartsPerMinute", "1"));
        var admin = await new IdentityDriver(factory).RegisterAsync();

        // Refused by validation, yet counted: the budget is taken before the request is read.
        using var first = await admin.Client.PostAsJsonAsync("/api/v1/runs", new { }, TestContext.Current.CancellationToken);
        using var second = await admin.Client.PostAsJsonAsync($"/api/v1/queries/{Guid.NewGuid()}/runs", new { }, TestContext.Current.CancellationToken);
        using var list = await admin.Client.GetAsync("/api/v1/runs", TestContext.Current.CancellationToken);

        first.StatusCode.ShouldNotBe(HttpStatusCode.TooManyRequests);
        Header(first, "RateLimit-Limit").ShouldBe(1);
        (await second.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests)).GetProperty("code").GetString().ShouldBe("rate_limited");
        list.StatusCode.ShouldBe(HttpStatusCode.OK);
        Header(list, "RateLimit-Limit").ShouldBe(50);
    }

    [Fact]
    public async Task Refresh_HasItsOwnBudget_SoFailedSignInsDoNotBlockIt()
    {
        await using var factory = Factory(("RateLimits:AuthPerMinute", "2"), ("RateLimits:RefreshPerMinute", "5"));
        var member = await new IdentityDriver(factory).RegisterAsync();
        using var anonymous = factory.CreateClient();

        // Registering took one of the two; a failed sign-in takes the other, and the next is refused.
        using var failed = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = member.Email, password = "wrong password here" }, TestContext.Current.CancellationToken);
        using var blocked = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = member.Email, password = "wrong password here" }, TestContext.Current.CancellationToken);
        using var refreshed = await anonymous.PostAsJsonAsync("/api/v1/auth/refresh", new { refresh_token = member.RefreshToken }, TestContext.Current.CancellationToken);

        failed.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await blocked.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        refreshed.StatusCode.ShouldBe(HttpStatusCode.OK);
        Header(refreshed, "RateLimit-Limit").ShouldBe(5);
    }

    private static int Header(HttpResponseMessage response, string name) =>
        int.Parse(response.Headers.GetValues(name).Single(), CultureInfo.InvariantCulture);

    private LoupeApiFactory Factory(params (string Key, string? Value)[] settings) =>
        LoupeApiFactory.For(database, withProbes: true, settings: settings.ToDictionary(s => s.Key, s => s.Value));
}
