using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Loupe.Integration.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Loupe.Integration.Tests.Identity.Organization;

/// <summary>
/// One database and one host shared by a test class (a host per test is slow). The database is
/// emptied before each test of a class deriving from <see cref="ResetBeforeEachTest"/>.
/// </summary>
public sealed class IdentityApi : IAsyncLifetime, IResettableDatabase
{
    private readonly DatabaseFixture _database = new();
    private readonly IReadOnlyDictionary<string, string?>? _settings;

    public IdentityApi()
    {
    }

    /// <summary>A host with extra configuration, e.g. <c>Jobs:RunInApi</c> for a fixture that needs finished runs.</summary>
    internal IdentityApi(IReadOnlyDictionary<string, string?> settings) => _settings = settings;

    public LoupeApiFactory Factory { get; private set; } = null!;

    /// <summary>The schema owner's connection to this class's database: it sees every organization's rows.</summary>
    public string OwnerConnection => _database.OwnerConnection;

    /// <summary>The application role's connection to this class's database (row-level security applies).</summary>
    public string AppConnection => _database.AppConnection;

    public IdentityDriver Identity { get; private set; } = null!;

    /// <summary>The host's clock: the system's unless a test holds it; let go before each test.</summary>
    public HoldableClock Clock { get; } = new();

    public async ValueTask InitializeAsync()
    {
        await _database.InitializeAsync();
        Factory = LoupeApiFactory.For(_database, settings: _settings);
        Factory.TestServices = services => services.AddSingleton<TimeProvider>(Clock);
        Identity = new IdentityDriver(Factory);
    }

    public Task ResetAsync()
    {
        Clock.Release();
        return _database.ResetAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>A client sending <paramref name="header"/>: <paramref name="value"/> with every request and nothing else.</summary>
    public HttpClient ClientWithHeader(string header, string value)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Add(header, value);
        return client;
    }

    /// <summary>Creates an API key as <paramref name="creator"/> and returns the created answer (with its secret).</summary>
    public static async Task<JsonElement> CreateApiKeyAsync(Member creator, string role, string? name = null)
    {
        using var response = await creator.Client.PostAsJsonAsync(
            "/api/v1/api-keys", new { name = name ?? $"key {Guid.NewGuid():N}", role }, TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    /// <summary>A PostgreSQL data source made from settings (nothing connects to it).</summary>
    public static async Task<JsonElement> CreateDataSourceAsync(Member admin, string? name = null, string password = "s3cret-pw")
    {
        using var response = await admin.Client.PostAsJsonAsync(
            "/api/v1/datasources",
            new
            {
                name = name ?? $"source {Guid.NewGuid():N}",
                type = "postgresql",
                settings = new { host = "db.example.com", port = 5432, database = "sales", username = "reader", password, ssl_mode = "require" },
            },
            TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    /// <summary>A PostgreSQL data source that connects: the test server's <c>postgres</c> database, as its superuser (the admin opted in).</summary>
    public static async Task<JsonElement> CreateReachableDataSourceAsync(Member admin, string? name = null)
    {
        var server = new NpgsqlConnectionStringBuilder(TestPostgres.AdminConnection);
        using var response = await admin.Client.PostAsJsonAsync(
            "/api/v1/datasources",
            new
            {
                name = name ?? $"reachable {Guid.NewGuid():N}",
                type = "postgresql",
                settings = new { host = server.Host, port = server.Port, database = "postgres", username = server.Username, password = server.Password, ssl_mode = "disable" },
                allow_privileged_account = true,
            },
            TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    /// <summary>A saved query with one text parameter, made by <paramref name="editor"/> on <paramref name="dataSourceId"/>.</summary>
    public static async Task<JsonElement> CreateSavedQueryAsync(Member editor, Guid dataSourceId, string? name = null)
    {
        using var response = await editor.Client.PostAsJsonAsync(
            "/api/v1/queries",
            new
            {
                name = name ?? $"query {Guid.NewGuid():N}",
                sql = "SELECT * FROM orders WHERE country = {{ country }}",
                datasource_id = dataSourceId,
                parameters = new[] { new { name = "country", type = "text" } },
            },
            TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    /// <summary>A counter of <paramref name="queryId"/>'s <c>one</c> column, made by <paramref name="editor"/>.</summary>
    public static async Task<JsonElement> CreateVisualizationAsync(Member editor, Guid queryId, string? name = null)
    {
        using var response = await editor.Client.PostAsJsonAsync(
            "/api/v1/visualizations",
            new { query_id = queryId, name = name ?? $"visualization {Guid.NewGuid():N}", type = "counter", options = new { value_column = "one" } },
            TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    /// <summary>Invites <paramref name="email"/> as <paramref name="admin"/> and returns the created answer (with its token).</summary>
    public static async Task<JsonElement> InviteAsync(Member admin, string email, string role = "viewer")
    {
        using var response = await admin.Client.PostAsJsonAsync(
            "/api/v1/organization/invitations", new { email, role }, TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    /// <summary>GETs <paramref name="url"/>, asserts 200 and returns the JSON body.</summary>
    public static async Task<JsonElement> GetOkAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>The <c>data</c> rows of a list answer.</summary>
    /// <summary>POSTs <paramref name="body"/> as <paramref name="member"/>; 201 expected; the created answer.</summary>
    public static async Task<JsonElement> PostCreatedAsync(Member member, string url, object body)
    {
        using var response = await member.Client.PostAsJsonAsync(url, body, TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    public static async Task<List<JsonElement>> GetRowsAsync(HttpClient client, string url) =>
        [.. (await GetOkAsync(client, url)).GetProperty("data").EnumerateArray()];

    public static string NewEmail(string who = "person") => $"{who}.{Guid.NewGuid():N}@example.com";
}
