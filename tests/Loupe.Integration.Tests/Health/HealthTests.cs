using System.Net;
using System.Text.Json;
using Loupe.Integration.Tests.Support;
using Npgsql;

namespace Loupe.Integration.Tests.Health;

public sealed class HealthTests : IAsyncDisposable
{
    private readonly ScratchDatabases _databases = new();

    public ValueTask DisposeAsync() => _databases.DisposeAsync();

    [Fact]
    public async Task Ready_OnAMigratedDatabase_Is200WithEveryCheckHealthy()
    {
        var database = await _databases.MigratedAsync();
        await using var factory = Factory(database);
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        body.GetProperty("status").GetString().ShouldBe("healthy");
        body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString().ShouldBe("healthy");
        body.GetProperty("checks").GetProperty("migrations").GetProperty("status").GetString().ShouldBe("healthy");
    }

    [Fact]
    public async Task StartUp_OnAnEmptyDatabase_AppliesMigrationsBeforeServing()
    {
        var database = await _databases.EmptyAsync();
        await using var factory = Factory(database);
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await TestPostgres.Runner(database).StatusAsync(TestContext.Current.CancellationToken)).ShouldAllBe(s => s.Applied);
    }

    [Fact]
    public async Task Ready_WithPendingMigrations_Is503ProblemNamingTheCheck()
    {
        var database = await _databases.EmptyAsync();
        await using var factory = Factory(database, ("Database:MigrateOnStartup", "false"));
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
        problem.GetProperty("detail").GetString()!.ShouldContain("migrations");
        problem.GetProperty("checks").GetProperty("migrations").GetProperty("status").GetString().ShouldBe("unhealthy");
    }

    [Fact]
    public async Task Ready_WhenTheDatabaseIsUnreachable_Is503Problem_WhileLiveStays200()
    {
        var unreachable = new NpgsqlConnectionStringBuilder(TestPostgres.AppConnection("nowhere")) { Port = 1, Timeout = 2 }.ConnectionString;
        await using var factory = new LoupeApiFactory(
            unreachable,
            unreachable,
            settings: new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "false" });
        using var client = factory.CreateClient();

        using var ready = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);
        using var live = await client.GetAsync("/health/live", TestContext.Current.CancellationToken);

        var problem = await ready.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
        problem.GetRawText().ShouldNotContain("Host=");
        problem.GetRawText().ShouldNotContain("Password");
        live.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task StartUp_WithoutAConnectionString_FailsNamingTheKey()
    {
        // Not disposed: the test host cannot stop a host that never started.
#pragma warning disable CA2000
        var factory = new LoupeApiFactory(string.Empty, string.Empty);
#pragma warning restore CA2000

        Should.Throw<Exception>(() => factory.CreateClient());

        // The host's own thread logs the reason after the start failed, a moment after CreateClient threw.
        bool Logged() => factory.Logs.Lines.Any(line =>
            line.Level == Microsoft.Extensions.Logging.LogLevel.Critical
            && line.Message.Contains("configuration is invalid")
            && line.Message.Contains("ConnectionStrings:Loupe"));
        await Eventually.HoldsAsync(Logged, TimeSpan.FromSeconds(10), "the host logs why it cannot start", TimeSpan.FromMilliseconds(20));

        Logged().ShouldBeTrue("the host logs why it cannot start, naming the key");
    }

    private static LoupeApiFactory Factory(string database, params (string Key, string? Value)[] settings) =>
        new(
            TestPostgres.AppConnection(database),
            TestPostgres.OwnerConnection(database),
            settings: settings.ToDictionary(s => s.Key, s => s.Value));
}
