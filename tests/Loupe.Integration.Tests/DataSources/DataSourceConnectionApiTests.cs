using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Support;
using Npgsql;

namespace Loupe.Integration.Tests.DataSources;

/// <summary>
/// POST /datasources/{id}/test and GET /datasources/{id}/schema against a real PostgreSQL database the
/// data source points at, and case-insensitive names.
/// </summary>
public sealed class DataSourceConnectionApiTests(IdentityApi api) : ResetBeforeEachTest(api), IClassFixture<IdentityApi>
{
    private const string Url = "/api/v1/datasources";
    private readonly IdentityDriver _identity = api.Identity;
    private string _database = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _database = await TestPostgres.CreateEmptyDatabaseAsync();
        await ExecuteAsync("CREATE TABLE orders (id bigint PRIMARY KEY, total numeric(12,2) NOT NULL, note text); CREATE VIEW big_orders AS SELECT id FROM orders WHERE total > 100;");
    }

    public override async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await TestPostgres.DropDatabaseAsync(_database);
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Test_WithGoodSettings_AnswersOkWithVersionAndLatency()
    {
        var admin = await _identity.RegisterAsync();
        var id = await CreateReachableAsync(admin);

        var result = await PostOkAsync(admin.Client, $"{Url}/{id}/test");

        result.GetProperty("ok").GetBoolean().ShouldBeTrue();
        result.GetProperty("server_version").GetString()!.ShouldStartWith("PostgreSQL ");
        result.GetProperty("latency_ms").GetDouble().ShouldBeGreaterThan(0);
        result.TryGetProperty("error", out var error).ShouldBeTrue();
        error.ValueKind.ShouldBe(JsonValueKind.Null);
        result.GetProperty("warnings").EnumerateArray().ShouldHaveSingleItem().GetString()!.ShouldContain("rolsuper");
    }

    [Fact]
    public async Task Test_WithAWrongPassword_AnswersTheErrorWithoutAnySecret()
    {
        var admin = await _identity.RegisterAsync();
        var wrong = Admin.Password + "-not-it";
        var id = await CreateReachableAsync(admin, password: wrong);

        var result = await PostOkAsync(admin.Client, $"{Url}/{id}/test");

        result.GetProperty("ok").GetBoolean().ShouldBeFalse();
        result.GetProperty("error").GetProperty("code").GetString().ShouldBe("28P01");
        result.GetRawText().ShouldNotContain(wrong);
        result.GetRawText().ShouldNotContain(Admin.Password!);
        api.Factory.Logs.Lines.ShouldAllBe(line => !line.Message.Contains(wrong, StringComparison.Ordinal) && !(line.Exception ?? new InvalidOperationException()).ToString().Contains(wrong, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Test_WhenNothingListens_SaysItCouldNotConnect_WithoutWhy()
    {
        var admin = await _identity.RegisterAsync();
        var id = await CreateReachableAsync(admin, port: 1);

        var result = await PostOkAsync(admin.Client, $"{Url}/{id}/test");

        result.GetProperty("ok").GetBoolean().ShouldBeFalse();
        result.GetProperty("error").GetProperty("code").GetString().ShouldBe("08000");
        result.GetProperty("error").GetProperty("message").GetString().ShouldBe("Could not connect to the data source.");
    }

    [Fact]
    public async Task Test_IsForAdmins_AndAnUnknownIdIsNotFound()
    {
        var admin = await _identity.RegisterAsync();
        var editor = await _identity.AddMemberAsync(admin, "editor");
        var id = await CreateReachableAsync(admin);

        using var forbidden = await editor.Client.PostAsync($"{Url}/{id}/test", null, TestContext.Current.CancellationToken);
        await forbidden.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        using var missing = await admin.Client.PostAsync($"{Url}/{Guid.CreateVersion7()}/test", null, TestContext.Current.CancellationToken);
        await missing.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Schema_ListsTablesViewsAndColumns_ServesTheCacheUntilRefreshed()
    {
        var admin = await _identity.RegisterAsync();
        var viewer = await _identity.AddMemberAsync(admin, "viewer");
        var id = await CreateReachableAsync(admin);
        var table = $"late_{Guid.NewGuid():N}";

        var first = await IdentityApi.GetOkAsync(viewer.Client, $"{Url}/{id}/schema");
        first.GetProperty("from_cache").GetBoolean().ShouldBeFalse();
        var publicSchema = first.GetProperty("schemas").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "public");
        var orders = publicSchema.GetProperty("tables").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "orders");
        orders.GetProperty("kind").GetString().ShouldBe("table");
        orders.GetProperty("columns").EnumerateArray().Select(c => (c.GetProperty("name").GetString(), c.GetProperty("type").GetString(), c.GetProperty("nullable").GetBoolean()))
            .ShouldBe([("id", "bigint", false), ("total", "numeric(12,2)", false), ("note", "text", true)]);
        publicSchema.GetProperty("tables").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "big_orders").GetProperty("kind").GetString().ShouldBe("view");
        first.GetProperty("table_count").GetInt32().ShouldBeGreaterThanOrEqualTo(2);

        await ExecuteAsync($"CREATE TABLE {table} (a int)");
        var cached = await IdentityApi.GetOkAsync(viewer.Client, $"{Url}/{id}/schema");
        cached.GetProperty("from_cache").GetBoolean().ShouldBeTrue();
        cached.GetProperty("fetched_at").GetDateTimeOffset().ShouldBe(first.GetProperty("fetched_at").GetDateTimeOffset());
        cached.GetRawText().ShouldNotContain(table);

        var refreshed = await IdentityApi.GetOkAsync(viewer.Client, $"{Url}/{id}/schema?refresh=true");
        refreshed.GetProperty("from_cache").GetBoolean().ShouldBeFalse();
        refreshed.GetRawText().ShouldContain(table);
    }

    [Fact]
    public async Task Schema_AfterTheDataSourceChanged_IsReadAgain()
    {
        var admin = await _identity.RegisterAsync();
        var id = await CreateReachableAsync(admin);
        (await IdentityApi.GetOkAsync(admin.Client, $"{Url}/{id}/schema")).GetRawText().ShouldContain("orders");

        using var patch = await admin.Client.PatchAsJsonAsync($"{Url}/{id}", new { settings = new { database = "postgres", password = Admin.Password } }, TestContext.Current.CancellationToken);
        patch.StatusCode.ShouldBe(HttpStatusCode.OK);

        var after = await IdentityApi.GetOkAsync(admin.Client, $"{Url}/{id}/schema");
        after.GetProperty("from_cache").GetBoolean().ShouldBeFalse();
        after.GetRawText().ShouldNotContain("big_orders");
    }

    [Fact]
    public async Task Schema_WhenTheDataSourceCannotBeReached_IsA502ProblemWithItsCode()
    {
        var admin = await _identity.RegisterAsync();
        var id = await CreateReachableAsync(admin, port: 1);

        using var response = await admin.Client.GetAsync($"{Url}/{id}/schema", TestContext.Current.CancellationToken);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadGateway);
        problem.GetProperty("code").GetString().ShouldBe("08000");
    }

    [Fact]
    public async Task Names_DifferingOnlyInCase_AreTheSameName()
    {
        var admin = await _identity.RegisterAsync();
        await IdentityApi.CreateDataSourceAsync(admin, "Sales");
        var other = (await IdentityApi.CreateDataSourceAsync(admin, "Marketing")).GetProperty("id").GetGuid();

        using var duplicate = await admin.Client.PostAsJsonAsync(
            Url,
            new { name = "SALES", type = "postgresql", settings = new { host = "db.example.com", database = "x", username = "y" } },
            TestContext.Current.CancellationToken);
        (await duplicate.ShouldBeProblemAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString()!.ShouldContain("SALES");

        using var rename = await admin.Client.PatchAsJsonAsync($"{Url}/{other}", new { name = "sales" }, TestContext.Current.CancellationToken);
        await rename.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        (await IdentityApi.GetOkAsync(admin.Client, $"{Url}/{other}")).GetProperty("name").GetString().ShouldBe("Marketing");

        // Another organization may use the name.
        var stranger = await _identity.RegisterAsync();
        await IdentityApi.CreateDataSourceAsync(stranger, "sales");
    }

    [Fact]
    public async Task PrivilegedAccount_IsRefusedWithTheSqlForAReader_UnlessAnAdminOptsIn_Audited_AndRunsStopWhenWithdrawn()
    {
        var admin = await _identity.RegisterAsync();
        var editor = await _identity.AddMemberAsync(admin, "editor");
        var settings = new { host = Admin.Host, port = Admin.Port, database = _database, username = Admin.Username, password = Admin.Password, ssl_mode = "disable" };

        using var refused = await admin.Client.PostAsJsonAsync(Url, new { name = "Superuser", type = "postgresql", settings }, TestContext.Current.CancellationToken);
        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        problem.GetProperty("code").GetString().ShouldBe("datasource.privileged_account");
        problem.GetProperty("detail").GetString()!.ShouldContain("rolsuper");
        problem.GetProperty("detail").GetString()!.ShouldContain($"GRANT CONNECT ON DATABASE \"{_database}\" TO loupe_reader");
        problem.GetRawText().ShouldNotContain(Admin.Password!);
        (await IdentityApi.GetRowsAsync(admin.Client, Url)).ShouldBeEmpty();

        using var allowed = await admin.Client.PostAsJsonAsync(
            Url, new { name = "Superuser", type = "postgresql", settings, allow_privileged_account = true }, TestContext.Current.CancellationToken);
        allowed.StatusCode.ShouldBe(HttpStatusCode.Created, await allowed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var created = await allowed.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        created.GetProperty("allow_privileged_account").GetBoolean().ShouldBeTrue();
        var id = created.GetProperty("id").GetGuid();
        (await PostOkAsync(admin.Client, $"{Url}/{id}/test")).GetProperty("ok").GetBoolean().ShouldBeTrue();
        (await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/audit-events?action=datasource.privileged_account_allowed")).ShouldHaveSingleItem();

        using var byEditor = await editor.Client.PatchAsJsonAsync($"{Url}/{id}", new { allow_privileged_account = true }, TestContext.Current.CancellationToken);
        await byEditor.ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        using var withdrawn = await admin.Client.PatchAsJsonAsync($"{Url}/{id}", new { allow_privileged_account = false }, TestContext.Current.CancellationToken);
        withdrawn.StatusCode.ShouldBe(HttpStatusCode.OK, await withdrawn.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        (await withdrawn.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("allow_privileged_account").GetBoolean().ShouldBeFalse();
        (await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/audit-events?action=datasource.privileged_account_disallowed")).ShouldHaveSingleItem();

        var test = await PostOkAsync(admin.Client, $"{Url}/{id}/test");
        test.GetProperty("ok").GetBoolean().ShouldBeFalse();
        test.GetProperty("error").GetProperty("code").GetString().ShouldBe("datasource.privileged_account");
        using var schema = await admin.Client.GetAsync($"{Url}/{id}/schema", TestContext.Current.CancellationToken);
        (await schema.ShouldBeProblemAsync(HttpStatusCode.BadGateway)).GetProperty("code").GetString().ShouldBe("datasource.privileged_account");

        using var moved = await admin.Client.PatchAsJsonAsync($"{Url}/{id}", new { settings = new { database = "postgres", password = Admin.Password } }, TestContext.Current.CancellationToken);
        (await moved.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("code").GetString().ShouldBe("datasource.privileged_account");
        (await IdentityApi.GetOkAsync(admin.Client, $"{Url}/{id}")).GetProperty("settings").GetProperty("database").GetString().ShouldBe(_database);
    }

    [Fact]
    public async Task AccountsThatOnlyRead_AreAccepted_ButAMemberOfAServerFileRole_IsNot()
    {
        var admin = await _identity.RegisterAsync();
        await using var roles = new ScratchRoles();
        var reader = await roles.CreateAsync();
        var fileReader = await roles.CreateAsync("IN ROLE pg_read_server_files");

        var readerId = await CreateAsAsync(admin, reader, HttpStatusCode.Created);
        var memberProblem = await CreateAsAsync(admin, fileReader, HttpStatusCode.UnprocessableEntity);

        var test = await PostOkAsync(admin.Client, $"{Url}/{readerId.GetProperty("id").GetGuid()}/test");
        test.GetProperty("ok").GetBoolean().ShouldBeTrue();
        test.GetProperty("warnings").GetArrayLength().ShouldBe(0);
        readerId.GetProperty("allow_privileged_account").GetBoolean().ShouldBeFalse();
        memberProblem.GetProperty("code").GetString().ShouldBe("datasource.privileged_account");
        memberProblem.GetProperty("detail").GetString()!.ShouldContain("pg_read_server_files");
    }

    private async Task<JsonElement> CreateAsAsync(Member admin, (string Name, string Password) role, HttpStatusCode expected)
    {
        using var response = await admin.Client.PostAsJsonAsync(
            Url,
            new
            {
                name = $"as {role.Name}",
                type = "postgresql",
                settings = new { host = Admin.Host, port = Admin.Port, database = _database, username = role.Name, password = role.Password, ssl_mode = "disable" },
            },
            TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(expected, text);
        return JsonDocument.Parse(text).RootElement;
    }

    private static NpgsqlConnectionStringBuilder Admin => new(TestPostgres.AdminConnection);

    private async Task<Guid> CreateReachableAsync(Member admin, string? password = null, int? port = null)
    {
        // The test server's superuser, which the admin allows.
        using var response = await admin.Client.PostAsJsonAsync(
            Url,
            new
            {
                name = $"reachable {Guid.NewGuid():N}",
                type = "postgresql",
                settings = new { host = Admin.Host, port = port ?? Admin.Port, database = _database, username = Admin.Username, password = password ?? Admin.Password, ssl_mode = "disable" },
                allow_privileged_account = true,
            },
            TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetGuid();
    }

    private static async Task<JsonElement> PostOkAsync(HttpClient client, string url)
    {
        using var response = await client.PostAsync(url, null, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestPostgres.AdminConnection) { Database = _database }.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
