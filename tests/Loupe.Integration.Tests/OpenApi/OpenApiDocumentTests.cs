using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Loupe.Infrastructure.Tests;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.OpenApi;

/// <summary>
/// The checked-in <c>docs/openapi.json</c> is what the SPA and script writers read; it must be the
/// document the API serves. Run the tests with <c>LOUPE_UPDATE_OPENAPI=1</c> to rewrite it.
/// </summary>
public sealed class OpenApiDocumentTests(DatabaseFixture database) : ResetBeforeEachTest(database), IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task CheckedInDocument_EqualsTheGeneratedOne()
    {
        await using var factory = LoupeApiFactory.For(database);
        using var client = factory.CreateClient();
        var generated = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken))!;
        var path = Path.Combine(Repository.Root, "docs", "openapi.json");
        var formatted = generated.ToJsonString(new JsonSerializerOptions
        {
            WriteIndented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }) + "\n";

        if (Environment.GetEnvironmentVariable("LOUPE_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(path, formatted, TestContext.Current.CancellationToken);
        }

        File.Exists(path).ShouldBeTrue("docs/openapi.json is missing: run the tests once with LOUPE_UPDATE_OPENAPI=1.");
        var checkedIn = JsonNode.Parse(await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken))!;
        JsonNode.DeepEquals(checkedIn, generated).ShouldBeTrue(
            "docs/openapi.json is stale: run the tests with LOUPE_UPDATE_OPENAPI=1 and commit the result.");
    }

    [Fact]
    public async Task InteractiveUi_IsServedInDevelopmentOnly()
    {
        await using var development = LoupeApiFactory.For(database, environment: "Development");
        await using var production = LoupeApiFactory.For(database, environment: "Production");
        using var developmentClient = development.CreateClient();
        using var productionClient = production.CreateClient();

        using var inDevelopment = await developmentClient.GetAsync("/docs/index.html", TestContext.Current.CancellationToken);
        using var inProduction = await productionClient.GetAsync("/docs/index.html", TestContext.Current.CancellationToken);

        inDevelopment.StatusCode.ShouldBe(HttpStatusCode.OK);
        inProduction.StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // The UI runs its own scripts and styles from this origin; the API's policy would stop them.
        inDevelopment.Headers.GetValues("Content-Security-Policy").Single().ShouldStartWith("default-src 'self'; script-src 'self'");
        inProduction.Headers.GetValues("Content-Security-Policy").Single().ShouldStartWith("default-src 'none'");
    }
}
