using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Loupe.Application.Common.Connectors;
using Loupe.Domain.DataSources;
using Loupe.Infrastructure.Connectors;
using Loupe.Infrastructure.Connectors.Postgres;
using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Loupe.Integration.Tests.DataSources;

/// <summary>
/// Where a data source may point (ADR 0027): metadata and link-local hosts never, this machine only
/// when allow-listed (these hosts list 127.0.0.1 only), every spelling normalized, checked on save and
/// again on the address connected to; connection failures answer without details that map a network.
/// </summary>
public sealed class DataSourceHostApiTests(DataSourceHostApiTests.HostsApi api) : ResetBeforeEachTest(api), IClassFixture<DataSourceHostApiTests.HostsApi>
{
    private const string Url = "/api/v1/datasources";

    [Theory]
    [InlineData("169.254.169.254", "datasource.host_forbidden")]
    [InlineData("0xa9fea9fe", "datasource.host_forbidden")]
    [InlineData("::ffff:169.254.169.254", "datasource.host_forbidden")]
    [InlineData("fd00:ec2::254", "datasource.host_forbidden")]
    [InlineData("metadata.google.internal", "datasource.host_forbidden")]
    [InlineData("0.0.0.0", "datasource.host_local")]
    [InlineData("::", "datasource.host_local")]
    [InlineData("::1", "datasource.host_local")]
    [InlineData("0x7f000002", "datasource.host_local")]
    [InlineData("2130706434", "datasource.host_local")]
    [InlineData("localhost", "datasource.host_local")]
    [InlineData("resolves-to-metadata.test", "datasource.host_forbidden")]
    [InlineData("resolves-to-loopback.test", "datasource.host_local")]
    public async Task Saving_AForbiddenOrLocalHost_IsA422WithItsCode_OnCreateAndOnPatch(string host, string code)
    {
        var admin = await api.Identity.RegisterAsync();

        using var create = await admin.Client.PostAsJsonAsync(
            Url,
            new { name = $"h {Guid.NewGuid():N}", type = "postgresql", settings = new { host, port = 5432, database = "d", username = "u", password = "pw" } },
            TestContext.Current.CancellationToken);
        (await create.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("code").GetString().ShouldBe(code);

        var id = (await IdentityApi.CreateDataSourceAsync(admin)).GetProperty("id").GetGuid();
        using var patch = await admin.Client.PatchAsJsonAsync($"{Url}/{id}", new { settings = new { host, password = "pw" } }, TestContext.Current.CancellationToken);
        (await patch.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("code").GetString().ShouldBe(code);
        (await IdentityApi.GetOkAsync(admin.Client, $"{Url}/{id}")).GetProperty("settings").GetProperty("host").GetString().ShouldBe("db.example.com");
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.1")]
    [InlineData("0x7f000001")]
    [InlineData("::ffff:127.0.0.1")]
    public async Task TheAllowListedAddress_InAnySpelling_IsSaved(string host)
    {
        var admin = await api.Identity.RegisterAsync();
        using var create = await admin.Client.PostAsJsonAsync(
            Url,
            new { name = $"h {Guid.NewGuid():N}", type = "postgresql", settings = new { host, port = 1, database = "d", username = "u" } },
            TestContext.Current.CancellationToken);
        create.StatusCode.ShouldBe(HttpStatusCode.Created, await create.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>
    /// Reproduces the report (host 0.0.0.0 made /test and /schema answer 500) and DNS rebinding: a host
    /// stored before the policy, or a name that resolves elsewhere after it was saved, is refused on the
    /// address Loupe would connect to, with LP006, and nothing is a 5xx other than the 502 of /schema.
    /// </summary>
    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("169.254.169.254")]
    [InlineData("rebinds.test")]
    public async Task AStoredHostRefusedAtConnectTime_AnswersLP006_OnTestSchemaAndRuns(string host)
    {
        var admin = await api.Identity.RegisterAsync();
        var server = new NpgsqlConnectionStringBuilder(TestPostgres.AdminConnection);
        api.Resolver.Answers["rebinds.test"] = [IPAddress.Loopback];
        using var create = await admin.Client.PostAsJsonAsync(
            Url,
            new
            {
                name = $"h {Guid.NewGuid():N}",
                type = "postgresql",
                settings = new { host = "rebinds.test", port = server.Port, database = "postgres", username = server.Username, password = server.Password, ssl_mode = "disable" },
                allow_privileged_account = true,
            },
            TestContext.Current.CancellationToken);
        create.StatusCode.ShouldBe(HttpStatusCode.Created, await create.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var id = (await create.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetGuid();

        (await IdentityApi.GetOkAsync(admin.Client, $"{Url}/{id}/schema")).GetProperty("datasource_id").GetGuid().ShouldBe(id);

        // Now the name points elsewhere on this machine (rebinding), or the row holds a host stored before the policy.
        api.Resolver.Answers["rebinds.test"] = [IPAddress.Parse("127.0.0.2")];
        if (host != "rebinds.test")
        {
            await using var connection = new NpgsqlConnection(api.OwnerConnection);
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = new NpgsqlCommand("UPDATE data_sources SET host = $1 WHERE id = $2", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = host });
            command.Parameters.Add(new NpgsqlParameter { Value = id });
            (await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken)).ShouldBe(1);
        }

        using var test = await admin.Client.PostAsync($"{Url}/{id}/test", null, TestContext.Current.CancellationToken);
        var testText = await test.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        test.StatusCode.ShouldBe(HttpStatusCode.OK, testText);
        var answer = JsonDocument.Parse(testText).RootElement;
        answer.GetProperty("ok").GetBoolean().ShouldBeFalse();
        answer.GetProperty("error").GetProperty("code").GetString().ShouldBe("LP006");

        using var schema = await admin.Client.GetAsync($"{Url}/{id}/schema?refresh=true", TestContext.Current.CancellationToken);
        (await schema.ShouldBeProblemAsync(HttpStatusCode.BadGateway)).GetProperty("code").GetString().ShouldBe("LP006");
    }

    /// <summary>A refused port and an address that never answers give the same answer: no port scan through /test.</summary>
    [Fact]
    public async Task ConnectionFailures_AllAnswer08000_CouldNotConnect_WithoutTheirKind()
    {
        var admin = await api.Identity.RegisterAsync();
        var answers = new List<JsonElement>();
        foreach (var (host, port) in new[] { ("127.0.0.1", 1), ("unresolvable.test", 5432) })
        {
            using var create = await admin.Client.PostAsJsonAsync(
                Url,
                new { name = $"h {Guid.NewGuid():N}", type = "postgresql", settings = new { host, port, database = "d", username = "u", ssl_mode = "disable" } },
                TestContext.Current.CancellationToken);
            create.StatusCode.ShouldBe(HttpStatusCode.Created, await create.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            var id = (await create.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetGuid();
            using var test = await admin.Client.PostAsync($"{Url}/{id}/test", null, TestContext.Current.CancellationToken);
            test.StatusCode.ShouldBe(HttpStatusCode.OK);
            answers.Add((await test.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("error"));
        }

        answers.ShouldAllBe(error => error.GetProperty("code").GetString() == "08000");
        answers.Select(error => error.GetProperty("message").GetString()).Distinct().ShouldHaveSingleItem().ShouldBe("Could not connect to the data source.");
    }

    /// <summary>Host 0.0.0.0 where it is allowed (Development): it connects or could not connect, never anything else (it was a 500).</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TheUnspecifiedAddress_WhereAllowed_ConnectsOrCouldNotConnect(bool serverPort)
    {
        var server = new NpgsqlConnectionStringBuilder(TestPostgres.AdminConnection);
        await using var connector = new PostgresConnector(
            NullLogger<PostgresConnector>.Instance, Options.Create(new DataSourceOptions()), new HostPolicy(allowLocal: true), new DnsHostResolver());
        var target = new ConnectionTarget(
            Guid.CreateVersion7(),
            ConnectionSettings.Postgresql("0.0.0.0", serverPort ? server.Port : 1, "postgres", server.Username, PostgresSslMode.Disable),
            server.Password,
            AllowPrivilegedAccount: true);

        foreach (var attempt in new Func<Task>[]
        {
            () => connector.TestAsync(target, TestContext.Current.CancellationToken),
            () => connector.ReadSchemaAsync(target, TestContext.Current.CancellationToken),
        })
        {
            try
            {
                await attempt();
            }
            catch (QueryExecutionException failure)
            {
                failure.Code.ShouldBe("08000");
                failure.Message.ShouldBe("Could not connect to the data source.");
            }
        }
    }

    /// <summary>The API host of these tests, with a resolver the tests steer (to rebind a name), and the tests' one allow-list.</summary>
    public sealed class HostsApi : IAsyncLifetime, IResettableDatabase
    {
        private readonly DatabaseFixture _database = new();

        public LoupeApiFactory Factory { get; private set; } = null!;

        public IdentityDriver Identity { get; private set; } = null!;

        public SteeredResolver Resolver { get; } = new();

        public string OwnerConnection => _database.OwnerConnection;

        public async ValueTask InitializeAsync()
        {
            await _database.InitializeAsync();
            Factory = LoupeApiFactory.For(_database);
            Factory.TestServices = services => services.AddSingleton<IHostResolver>(Resolver);
            Identity = new IdentityDriver(Factory);
        }

        public Task ResetAsync() => _database.ResetAsync();

        public async ValueTask DisposeAsync()
        {
            await Factory.DisposeAsync();
            await _database.DisposeAsync();
        }
    }

    /// <summary>Names ending in <c>.test</c> resolve to what the test says (none: not found); other names through DNS.</summary>
    public sealed class SteeredResolver : IHostResolver
    {
        public ConcurrentDictionary<string, IPAddress[]> Answers { get; } = new(StringComparer.OrdinalIgnoreCase)
        {
            ["resolves-to-metadata.test"] = [IPAddress.Parse("192.0.2.1"), IPAddress.Parse("169.254.169.254")],
            ["resolves-to-loopback.test"] = [IPAddress.Parse("127.0.0.2")],
        };

        public async Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken ct)
        {
            if (host.EndsWith(".test", StringComparison.OrdinalIgnoreCase))
            {
                return Answers.TryGetValue(host, out var addresses) ? addresses : throw new SocketException((int)SocketError.HostNotFound);
            }

            return await Dns.GetHostAddressesAsync(host, ct);
        }
    }
}
