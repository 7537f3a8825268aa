using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Support;
using Npgsql;

namespace Loupe.Integration.Tests.DataSources;

/// <summary>/api/v1/datasources: admins write, everyone reads; the password goes in and never comes out.</summary>
public sealed class DataSourceApiTests(IdentityApi api) : ResetBeforeEachTest(api), IClassFixture<IdentityApi>
{
    private const string Url = "/api/v1/datasources";
    private readonly IdentityApi _api = api;
    private readonly IdentityDriver _identity = api.Identity;

    [Fact]
    public async Task Create_FromSettings_AnswersTheDataSourceWithoutItsPassword()
    {
        var admin = await _identity.RegisterAsync();

        var created = await IdentityApi.CreateDataSourceAsync(admin, "Sales DB", "pw-from-settings-123");

        created.GetProperty("name").GetString().ShouldBe("Sales DB");
        created.GetProperty("type").GetString().ShouldBe("postgresql");
        created.GetProperty("has_password").GetBoolean().ShouldBeTrue();
        var settings = created.GetProperty("settings");
        settings.GetProperty("host").GetString().ShouldBe("db.example.com");
        settings.GetProperty("port").GetInt32().ShouldBe(5432);
        settings.GetProperty("database").GetString().ShouldBe("sales");
        settings.GetProperty("username").GetString().ShouldBe("reader");
        settings.GetProperty("ssl_mode").GetString().ShouldBe("require");
        settings.TryGetProperty("password", out _).ShouldBeFalse();
        created.GetProperty("query_timeout_seconds").GetInt32().ShouldBe(300);
        created.GetProperty("max_rows").GetInt32().ShouldBe(100_000);
        created.GetRawText().ShouldNotContain("pw-from-settings-123");
    }

    [Fact]
    public async Task APasswordBeyondTheLimit_IsA400NamingIt_OnCreateAndPatch_AndChangesNothing()
    {
        var admin = await _identity.RegisterAsync();
        var tooLong = new string('p', Loupe.Domain.DataSources.ConnectionSettings.PasswordMaxLength + 1);
        var settings = new { host = "db.example.com", database = "sales", username = "reader", password = tooLong };

        using var create = await admin.Client.PostAsJsonAsync(Url, new { name = "Long", type = "postgresql", settings }, TestContext.Current.CancellationToken);
        var refused = await create.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        refused.GetProperty("errors").GetProperty("settings.password")[0].GetString().ShouldBe("A password has at most 1024 characters.");
        (await IdentityApi.GetRowsAsync(admin.Client, Url)).ShouldBeEmpty();

        var created = await IdentityApi.CreateDataSourceAsync(admin, "Sales DB", "pw-from-settings-123");
        var id = created.GetProperty("id").GetGuid();
        using var patch = await admin.Client.PatchAsJsonAsync($"{Url}/{id}", new { settings = new { password = tooLong } }, TestContext.Current.CancellationToken);
        (await patch.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("settings.password", out _).ShouldBeTrue();
        var after = await IdentityApi.GetOkAsync(admin.Client, $"{Url}/{id}");
        after.GetProperty("updated_at").GetString().ShouldBe(created.GetProperty("updated_at").GetString());

        // The longest password allowed is kept.
        var longest = await IdentityApi.CreateDataSourceAsync(admin, "Longest", tooLong[1..]);
        longest.GetProperty("has_password").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Timestamps_AreTheSameString_OnCreate_Read_AndInTheList_AtMicroseconds()
    {
        var admin = await _identity.RegisterAsync();
        var created = await IdentityApi.CreateDataSourceAsync(admin, "Stamped");
        var id = created.GetProperty("id").GetGuid();

        var read = await IdentityApi.GetOkAsync(admin.Client, $"{Url}/{id}");
        var listed = (await IdentityApi.GetRowsAsync(admin.Client, Url)).Single(d => d.GetProperty("id").GetGuid() == id);

        foreach (var field in new[] { "created_at", "updated_at" })
        {
            var text = created.GetProperty(field).GetString()!;
            text.ShouldMatch(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$");
            read.GetProperty(field).GetString().ShouldBe(text);
            listed.GetProperty(field).GetString().ShouldBe(text);
        }
    }

    [Fact]
    public async Task Patch_IsAMergePatch_NullResetsOptionalFields_AbsentOnesStay_RequiredOnesRefuseNull()
    {
        var admin = await _identity.RegisterAsync();
        var created = await IdentityApi.CreateDataSourceAsync(admin, "Merge", "pw-merge-123");
        var id = created.GetProperty("id").GetGuid();
        using (var tuned = await admin.Client.PatchAsJsonAsync(
            $"{Url}/{id}", new { query_timeout_seconds = 60, max_rows = 10, allow_privileged_account = true, settings = new { port = 6543, password = "pw-merge-123" } }, TestContext.Current.CancellationToken))
        {
            tuned.StatusCode.ShouldBe(HttpStatusCode.OK, await tuned.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        using var reset = await admin.Client.PatchAsync(
            $"{Url}/{id}",
            Json("""{"query_timeout_seconds": null, "max_rows": null, "allow_privileged_account": null, "settings": {"port": null, "ssl_mode": null, "password": null}}"""),
            TestContext.Current.CancellationToken);

        var text = await reset.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        reset.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        var after = JsonDocument.Parse(text).RootElement;
        after.GetProperty("query_timeout_seconds").GetInt32().ShouldBe(300);
        after.GetProperty("max_rows").GetInt32().ShouldBe(100_000);
        after.GetProperty("allow_privileged_account").GetBoolean().ShouldBeFalse();
        after.GetProperty("settings").GetProperty("port").GetInt32().ShouldBe(5432);
        after.GetProperty("settings").GetProperty("ssl_mode").GetString().ShouldBe("prefer");
        after.GetProperty("has_password").GetBoolean().ShouldBeFalse();
        after.GetProperty("name").GetString().ShouldBe("Merge", "a field left out stays as it is");
        after.GetProperty("settings").GetProperty("host").GetString().ShouldBe("db.example.com");

        using var required = await admin.Client.PatchAsync(
            $"{Url}/{id}", Json("""{"name": null, "settings": {"host": null}}"""), TestContext.Current.CancellationToken);
        var errors = (await required.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        errors.GetProperty("name")[0].GetString()!.ShouldStartWith("name: required");
        errors.GetProperty("settings.host")[0].GetString()!.ShouldStartWith("settings.host: required");
        (await IdentityApi.GetOkAsync(admin.Client, $"{Url}/{id}")).GetProperty("name").GetString().ShouldBe("Merge");
    }

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    [Fact]
    public async Task Create_FromAConnectionString_ThenGetAndList_NeverShowThePassword()
    {
        var admin = await _identity.RegisterAsync();
        var viewer = await _identity.AddMemberAsync(admin, "viewer");

        using var response = await admin.Client.PostAsJsonAsync(
            Url,
            new { name = "Warehouse", type = "postgresql", connection_string = "postgresql://bi:uri-pw-456@warehouse.internal:6543/dw?sslmode=verify-full", query_timeout_seconds = 60, max_rows = 1000 },
            TestContext.Current.CancellationToken);

        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        var created = JsonDocument.Parse(text).RootElement;
        var id = created.GetProperty("id").GetGuid();
        response.Headers.Location!.ToString().ShouldEndWith($"{Url}/{id}");
        created.GetProperty("settings").GetProperty("host").GetString().ShouldBe("warehouse.internal");
        created.GetProperty("settings").GetProperty("port").GetInt32().ShouldBe(6543);
        created.GetProperty("settings").GetProperty("ssl_mode").GetString().ShouldBe("verify-full");
        created.GetProperty("query_timeout_seconds").GetInt32().ShouldBe(60);
        created.GetProperty("max_rows").GetInt32().ShouldBe(1000);
        text.ShouldNotContain("uri-pw-456");
        text.ShouldNotContain("connection_string");

        var one = await IdentityApi.GetOkAsync(viewer.Client, $"{Url}/{id}");
        one.GetProperty("name").GetString().ShouldBe("Warehouse");
        one.GetProperty("has_password").GetBoolean().ShouldBeTrue();
        one.GetRawText().ShouldNotContain("uri-pw-456");

        var rows = await IdentityApi.GetRowsAsync(viewer.Client, $"{Url}?q=wareh");
        rows.ShouldHaveSingleItem().GetProperty("id").GetGuid().ShouldBe(id);
        rows.Single().GetRawText().ShouldNotContain("uri-pw-456");
        (await IdentityApi.GetRowsAsync(viewer.Client, $"{Url}?q=nothing-like-it")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Patch_ChangesNameSettingsPasswordAndLimits_AndDeleteRemovesIt()
    {
        var admin = await _identity.RegisterAsync();
        var id = (await IdentityApi.CreateDataSourceAsync(admin, "Before")).GetProperty("id").GetGuid();

        using var patch = await admin.Client.PatchAsJsonAsync(
            $"{Url}/{id}",
            new { name = "After", settings = new { host = "db2.example.com", password = "" }, query_timeout_seconds = 30, max_rows = 10 },
            TestContext.Current.CancellationToken);

        var text = await patch.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        patch.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        var changed = JsonDocument.Parse(text).RootElement;
        changed.GetProperty("name").GetString().ShouldBe("After");
        changed.GetProperty("settings").GetProperty("host").GetString().ShouldBe("db2.example.com");
        changed.GetProperty("settings").GetProperty("database").GetString().ShouldBe("sales");
        changed.GetProperty("has_password").GetBoolean().ShouldBeFalse();
        changed.GetProperty("query_timeout_seconds").GetInt32().ShouldBe(30);
        changed.GetProperty("max_rows").GetInt32().ShouldBe(10);

        using var delete = await admin.Client.DeleteAsync($"{Url}/{id}", TestContext.Current.CancellationToken);
        delete.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        using var gone = await admin.Client.GetAsync($"{Url}/{id}", TestContext.Current.CancellationToken);
        await gone.ShouldBeProblemAsync(HttpStatusCode.NotFound);

        var actions = (await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/audit-events?per_page=100"))
            .Select(e => e.GetProperty("action").GetString()).ToList();
        actions.ShouldContain("datasource.created");
        actions.ShouldContain("datasource.updated");
        actions.ShouldContain("datasource.deleted");
    }

    /// <summary>
    /// Reproduces the report: a PATCH that moved host and port kept the stored password, and the next
    /// test sent it to the new server. Now any change of where the password goes needs it again.
    /// </summary>
    [Theory]
    [InlineData("""{"settings":{"host":"attacker.example.net","port":5433}}""")]
    [InlineData("""{"settings":{"host":"attacker.example.net"}}""")]
    [InlineData("""{"settings":{"port":6432}}""")]
    [InlineData("""{"settings":{"database":"other"}}""")]
    [InlineData("""{"settings":{"username":"postgres"}}""")]
    [InlineData("""{"settings":{"ssl_mode":"disable"}}""")]
    public async Task Patch_MovingTheStoredPassword_WithoutGivingItAgain_IsA422_AndChangesNothing(string body)
    {
        var admin = await _identity.RegisterAsync();
        var id = (await IdentityApi.CreateDataSourceAsync(admin, password: "stays-put-pw")).GetProperty("id").GetGuid();

        using var patch = await admin.Client.PatchAsync(
            $"{Url}/{id}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        var problem = await patch.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        problem.GetProperty("code").GetString().ShouldBe("datasource.password_required");
        var stored = await IdentityApi.GetOkAsync(admin.Client, $"{Url}/{id}");
        stored.GetProperty("settings").GetProperty("host").GetString().ShouldBe("db.example.com");
        stored.GetProperty("settings").GetProperty("port").GetInt32().ShouldBe(5432);
        stored.GetProperty("settings").GetProperty("database").GetString().ShouldBe("sales");
        stored.GetProperty("settings").GetProperty("username").GetString().ShouldBe("reader");
        stored.GetProperty("settings").GetProperty("ssl_mode").GetString().ShouldBe("require");
        stored.GetProperty("has_password").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Patch_MovingThePassword_WithItGivenAgain_OrCleared_OrByConnectionString_IsAccepted()
    {
        var admin = await _identity.RegisterAsync();
        var id = (await IdentityApi.CreateDataSourceAsync(admin)).GetProperty("id").GetGuid();

        var again = await PatchOkAsync(admin, id, new { settings = new { host = "db2.example.com", password = "given-again-pw" } });
        again.GetProperty("settings").GetProperty("host").GetString().ShouldBe("db2.example.com");
        again.GetProperty("has_password").GetBoolean().ShouldBeTrue();

        // The same settings (or only other fields) keep the stored password.
        var renamed = await PatchOkAsync(admin, id, new { name = "Renamed", settings = new { host = "db2.example.com" }, max_rows = 5 });
        renamed.GetProperty("has_password").GetBoolean().ShouldBeTrue();

        var cleared = await PatchOkAsync(admin, id, new { settings = new { port = 6543, password = "" } });
        cleared.GetProperty("has_password").GetBoolean().ShouldBeFalse();

        await PatchOkAsync(admin, id, new { settings = new { password = "back-again-pw" } });
        var byString = await PatchOkAsync(admin, id, new { connection_string = "Host=db3.example.com;Database=sales;Username=reader" });
        byString.GetProperty("settings").GetProperty("host").GetString().ShouldBe("db3.example.com");
        byString.GetProperty("has_password").GetBoolean().ShouldBeFalse();
    }

    private static async Task<JsonElement> PatchOkAsync(Member admin, Guid id, object body)
    {
        using var patch = await admin.Client.PatchAsJsonAsync($"{Url}/{id}", body, TestContext.Current.CancellationToken);
        var text = await patch.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        patch.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement;
    }

    [Fact]
    public async Task ETags_GiveNotModifiedReads_AndRefuseStalePatchesAndDeletes()
    {
        var admin = await _identity.RegisterAsync();
        using var create = await admin.Client.PostAsJsonAsync(
            Url, new { name = "Tagged", type = "postgresql", settings = new { host = "h", database = "d", username = "u" } }, TestContext.Current.CancellationToken);
        create.StatusCode.ShouldBe(HttpStatusCode.Created);
        var created = create.Headers.ETag!.Tag;
        var id = (await create.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetGuid();

        using var notModified = await SendAsync(admin, HttpMethod.Get, $"{Url}/{id}", null, ("If-None-Match", created));
        using var patched = await SendAsync(admin, HttpMethod.Patch, $"{Url}/{id}", new { name = "Retagged" }, ("If-Match", created));
        using var stalePatch = await SendAsync(admin, HttpMethod.Patch, $"{Url}/{id}", new { name = "Lost" }, ("If-Match", created));
        using var staleDelete = await SendAsync(admin, HttpMethod.Delete, $"{Url}/{id}", null, ("If-Match", created));
        using var delete = await SendAsync(admin, HttpMethod.Delete, $"{Url}/{id}", null, ("If-Match", patched.Headers.ETag!.Tag));

        notModified.StatusCode.ShouldBe(HttpStatusCode.NotModified);
        notModified.Headers.ETag!.Tag.ShouldBe(created);
        patched.StatusCode.ShouldBe(HttpStatusCode.OK);
        patched.Headers.ETag!.Tag.ShouldNotBe(created);
        await stalePatch.ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed);
        await staleDelete.ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed);
        delete.StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    private static async Task<HttpResponseMessage> SendAsync(Member member, HttpMethod method, string url, object? body, (string Name, string Value) header)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation(header.Name, header.Value);
        return await member.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static TheoryData<string, string> BadBodies() => new()
    {
        { """{"name":"x","type":"postgresql","settings":{"host":"bad host!","port":5432,"database":"d","username":"u"}}""", "settings.host" },
        { """{"name":"x","type":"postgresql","settings":{"host":"h","port":70000,"database":"d","username":"u"}}""", "settings.port" },
        { """{"name":"x","type":"postgresql","settings":{"host":"h","database":"d","username":"u","ssl_mode":"sometimes"}}""", "settings.ssl_mode" },
        { """{"name":"x","type":"postgresql","connection_string":"Host=h;Database=d;Username=u;Include Error Detail=true"}""", "connection_string" },
        { """{"name":"x","type":"postgresql","connection_string":"Host=h;Database=d;Username=u;Options=-c default_transaction_read_only=off"}""", "connection_string" },
        { """{"name":"x","type":"oracle","settings":{"host":"h","database":"d","username":"u"}}""", "type" },
        { """{"name":"","type":"postgresql","settings":{"host":"h","database":"d","username":"u"}}""", "name" },
        { """{"name":"x","type":"postgresql","settings":{"host":"h","database":"d","username":"u"},"max_rows":0}""", "max_rows" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Create_WithABrokenField_IsAValidationProblemNamingIt(string body, string field)
    {
        var admin = await _identity.RegisterAsync();

        using var response = await admin.Client.PostAsync(Url, new StringContent(body, System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(problem.GetRawText());
        (await IdentityApi.GetRowsAsync(admin.Client, Url)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("editor")]
    [InlineData("viewer")]
    public async Task NonAdmins_CannotWrite(string role)
    {
        var admin = await _identity.RegisterAsync();
        var member = await _identity.AddMemberAsync(admin, role);
        var id = (await IdentityApi.CreateDataSourceAsync(admin)).GetProperty("id").GetGuid();

        using var create = await member.Client.PostAsJsonAsync(
            Url, new { name = "mine", type = "postgresql", settings = new { host = "h", database = "d", username = "u" } }, TestContext.Current.CancellationToken);
        using var patch = await member.Client.PatchAsJsonAsync($"{Url}/{id}", new { name = "renamed" }, TestContext.Current.CancellationToken);
        using var delete = await member.Client.DeleteAsync($"{Url}/{id}", TestContext.Current.CancellationToken);

        await create.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await patch.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await delete.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        (await IdentityApi.GetRowsAsync(member.Client, Url)).ShouldHaveSingleItem().GetProperty("id").GetGuid().ShouldBe(id);
    }

    [Fact]
    public async Task AnotherOrganizationsDataSource_IsNotFound()
    {
        var owner = await _identity.RegisterAsync();
        var stranger = await _identity.RegisterAsync();
        var id = (await IdentityApi.CreateDataSourceAsync(owner)).GetProperty("id").GetGuid();

        using var get = await stranger.Client.GetAsync($"{Url}/{id}", TestContext.Current.CancellationToken);
        using var delete = await stranger.Client.DeleteAsync($"{Url}/{id}", TestContext.Current.CancellationToken);

        await get.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await delete.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await IdentityApi.GetRowsAsync(stranger.Client, Url)).ShouldBeEmpty();
        (await IdentityApi.GetRowsAsync(owner.Client, Url)).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task ADuplicateName_IsAConflict()
    {
        var admin = await _identity.RegisterAsync();
        await IdentityApi.CreateDataSourceAsync(admin, "Twice");
        var other = (await IdentityApi.CreateDataSourceAsync(admin, "Once")).GetProperty("id").GetGuid();

        using var create = await admin.Client.PostAsJsonAsync(
            Url, new { name = "Twice", type = "postgresql", settings = new { host = "h", database = "d", username = "u" } }, TestContext.Current.CancellationToken);
        using var rename = await admin.Client.PatchAsJsonAsync($"{Url}/{other}", new { name = "Twice" }, TestContext.Current.CancellationToken);

        await create.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await rename.ShouldBeProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task TheDatabase_NeverHoldsThePasswordInClear()
    {
        const string password = "clear-text-canary-7f3a9b";
        var admin = await _identity.RegisterAsync();
        var id = (await IdentityApi.CreateDataSourceAsync(admin, "Canary", password)).GetProperty("id").GetGuid();

        await using var connection = new NpgsqlConnection(_api.OwnerConnection);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT row_to_json(d)::text, encode(password_cipher, 'escape'), password_key_id FROM data_sources d WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        (await reader.ReadAsync(TestContext.Current.CancellationToken)).ShouldBeTrue();

        reader.GetString(0).ShouldNotContain(password);
        reader.GetString(1).ShouldNotContain(password);
        reader.GetString(2).ShouldBe(LoupeApiFactory.TestSecretsKeyId);
    }

    [Fact]
    public async Task ThePassword_NeverAppearsInTheLogs()
    {
        const string password = "log-canary-password-51c2";
        var admin = await _identity.RegisterAsync();
        var id = (await IdentityApi.CreateDataSourceAsync(admin, "Logged", password)).GetProperty("id").GetGuid();
        using var bad = await admin.Client.PostAsJsonAsync(
            Url,
            new { name = "Bad", type = "postgresql", connection_string = $"postgresql://u:{password}@h/d?sslmode=sometimes" },
            TestContext.Current.CancellationToken);
        using var patch = await admin.Client.PatchAsJsonAsync(
            $"{Url}/{id}", new { connection_string = $"Host=h;Database=d;Username=u;Password={password}2" }, TestContext.Current.CancellationToken);
        patch.StatusCode.ShouldBe(HttpStatusCode.OK);

        var lines = _api.Factory.Logs.Lines;
        lines.ShouldNotBeEmpty();
        foreach (var line in lines)
        {
            var all = $"{line.Message} {line.Exception} {string.Join(' ', line.Scope.Select(pair => $"{pair.Key}={pair.Value}"))}";
            all.ShouldNotContain(password);
        }
    }
}
