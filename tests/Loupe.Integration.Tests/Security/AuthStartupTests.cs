using System.Net;
using System.Net.Http.Headers;
using Loupe.Integration.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Loupe.Integration.Tests.Security;

public sealed class AuthStartupTests(DatabaseFixture database) : ResetBeforeEachTest(database), IClassFixture<DatabaseFixture>
{
    [Theory]
    [InlineData("Production", "")]
    [InlineData("Staging", "")]
    [InlineData("Production", "only-31-bytes-long-0123456789ab")]
    [InlineData("Development", "only-31-bytes-long-0123456789ab")]
    public void StartUp_WithoutAUsableSigningKey_FailsNamingTheKey(string environment, string key)
    {
        // Not disposed: the test host cannot stop a host that never started.
#pragma warning disable CA2000
        var factory = LoupeApiFactory.For(database, environment: environment, settings: new Dictionary<string, string?> { ["Auth:SigningKey"] = key });
#pragma warning restore CA2000

        Should.Throw<Exception>(() => factory.CreateClient());

        factory.Logs.Lines.ShouldContain(line =>
            line.Level == LogLevel.Critical
            && line.Message.Contains("configuration is invalid")
            && line.Message.Contains("Auth:SigningKey"));
    }

    [Fact]
    public void StartUp_WithAnOutOfRangeLifetime_FailsNamingTheKey()
    {
#pragma warning disable CA2000
        var factory = LoupeApiFactory.For(database, settings: new Dictionary<string, string?> { ["Auth:AccessTokenMinutes"] = "1441" });
#pragma warning restore CA2000

        Should.Throw<Exception>(() => factory.CreateClient());

        factory.Logs.Lines.ShouldContain(line => line.Level == LogLevel.Critical && line.Message.Contains("Auth:AccessTokenMinutes"));
    }

    [Fact]
    public async Task Development_WithoutAKey_StartsWithAGeneratedKeyAndWarns()
    {
        await using var factory = LoupeApiFactory.For(
            database,
            withProbes: true,
            environment: "Development",
            settings: new Dictionary<string, string?> { ["Auth:SigningKey"] = string.Empty });
        using var client = factory.CreateClient();

        // Registering signs a token with the generated key, and the host accepts it back.
        var member = await new IdentityDriver(factory).RegisterAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/_probe/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", member.AccessToken);

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        factory.Logs.Lines.Count(line => line.Level == LogLevel.Warning && line.Message.Contains("Auth:SigningKey is not set")).ShouldBe(1);
    }
}
