using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.DataSources;

/// <summary>GET /api/v1/datasources/types: the connectors' own settings, and that they are what creating a data source checks.</summary>
public sealed class DataSourceTypeApiTests(IdentityApi api) : ResetBeforeEachTest(api), IClassFixture<IdentityApi>
{
    private const string Url = "/api/v1/datasources/types";
    private readonly IdentityDriver _identity = api.Identity;

    [Fact]
    public async Task Types_ListEachConnectorWithItsSettings_ToAnyMember()
    {
        var admin = await _identity.RegisterAsync();
        var viewer = await _identity.AddMemberAsync(admin, "viewer");

        var body = await IdentityApi.GetOkAsync(viewer.Client, Url);

        var types = body.GetProperty("data").EnumerateArray().ToDictionary(t => t.GetProperty("type").GetString()!);
        types.Keys.ShouldBe(["postgresql", "sqlite"], ignoreOrder: true);
        body.GetProperty("pagination").GetProperty("total").GetInt32().ShouldBe(2);

        var postgres = Settings(types["postgresql"]);
        postgres.Keys.ShouldBe(["host", "port", "database", "username", "password", "ssl_mode"]);
        postgres["host"].GetProperty("required").GetBoolean().ShouldBeTrue();
        postgres["host"].GetProperty("type").GetString().ShouldBe("string");
        postgres["host"].GetProperty("max_length").GetInt32().ShouldBe(255);
        postgres["port"].GetProperty("type").GetString().ShouldBe("integer");
        postgres["port"].GetProperty("default").GetInt32().ShouldBe(5432);
        postgres["port"].GetProperty("maximum").GetInt32().ShouldBe(65535);
        postgres["password"].GetProperty("secret").GetBoolean().ShouldBeTrue();
        postgres["password"].GetProperty("required").GetBoolean().ShouldBeFalse();
        postgres["host"].GetProperty("secret").GetBoolean().ShouldBeFalse();
        postgres["ssl_mode"].GetProperty("default").GetString().ShouldBe("prefer");
        postgres["ssl_mode"].GetProperty("allowed_values").EnumerateArray().Select(v => v.GetString())
            .ShouldBe(["disable", "allow", "prefer", "require", "verify-ca", "verify-full"], ignoreOrder: true);

        var sqlite = Settings(types["sqlite"]);
        sqlite.Keys.ShouldBe(["path"]);
        sqlite["path"].GetProperty("required").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Types_TakeNoQueryParameters_AndNeedAMember()
    {
        var admin = await _identity.RegisterAsync();

        using var unknown = await admin.Client.GetAsync($"{Url}?kind=x", TestContext.Current.CancellationToken);
        using var anonymous = await _identity.Anonymous().GetAsync(Url, TestContext.Current.CancellationToken);

        await unknown.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await anonymous.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    /// <summary>
    /// The description cannot drift from the rules: leaving out any setting it calls required is a 400
    /// naming exactly that setting, and the required ones alone (defaults for the rest) create a data source.
    /// </summary>
    [Fact]
    public async Task RequiredSettings_AreTheOnesCreatingADataSourceChecks()
    {
        var admin = await _identity.RegisterAsync();
        var postgres = Settings((await IdentityApi.GetOkAsync(admin.Client, Url)).GetProperty("data").EnumerateArray()
            .Single(t => t.GetProperty("type").GetString() == "postgresql"));
        var samples = new Dictionary<string, object> { ["host"] = "db.example.com", ["database"] = "sales", ["username"] = "reader" };
        var required = postgres.Where(s => s.Value.GetProperty("required").GetBoolean()).Select(s => s.Key).ToList();
        required.ShouldBe(samples.Keys, ignoreOrder: true);

        foreach (var left in required)
        {
            var settings = samples.Where(s => s.Key != left).ToDictionary(s => s.Key, s => s.Value);
            using var response = await admin.Client.PostAsJsonAsync(
                "/api/v1/datasources", new { name = $"without {left}", type = "postgresql", settings }, TestContext.Current.CancellationToken);
            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
            problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe([$"settings.{left}"], problem.GetRawText());
        }

        using var created = await admin.Client.PostAsJsonAsync(
            "/api/v1/datasources", new { name = "required only", type = "postgresql", settings = samples }, TestContext.Current.CancellationToken);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var answer = await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        answer.GetProperty("settings").GetProperty("port").GetInt32().ShouldBe(postgres["port"].GetProperty("default").GetInt32());
        answer.GetProperty("settings").GetProperty("ssl_mode").GetString().ShouldBe(postgres["ssl_mode"].GetProperty("default").GetString());
    }

    private static Dictionary<string, JsonElement> Settings(JsonElement type) =>
        type.GetProperty("settings").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
}
