using System.Net;
using System.Text.RegularExpressions;
using Loupe.Application.Common.Security;
using Loupe.Domain.DataSources;
using Loupe.Infrastructure.Demo;
using Loupe.Integration.Tests.Identity.Auth;
using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Loupe.Integration.Tests.Demo;

/// <summary>
/// The demo organization a fresh Development instance creates when <c>Demo:Enabled</c> is true (as
/// <c>build/run.sh</c> sets it). Each test has a database of its own, so "fresh" means fresh.
/// </summary>
public sealed partial class DemoOrganizationTests : IAsyncDisposable
{
    private const string ReaderPassword = "demo-reader-secret-4711";
    private const string ReadyLine = "Demo organization ready: sign in as demo@loupe.local with password ";

    private readonly ScratchDatabases _databases = new();
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("loupe-demo-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string CredentialsFile => Path.Combine(_folder.FullName, "nested", "demo-credentials.txt");

    public async ValueTask DisposeAsync()
    {
        await _databases.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public async Task FreshInstance_CreatesTheDemoOrganization_AdminAndDataSource_AndPrintsThePasswordInOneLine()
    {
        var database = await _databases.MigratedAsync();
        await using var factory = DemoHost(database);
        using var anonymous = factory.CreateClient();

        var ready = factory.Logs.Lines.Where(line => line.Message.StartsWith(ReadyLine, StringComparison.Ordinal)).ToList();
        var line = ready.ShouldHaveSingleItem();
        line.Level.ShouldBe(LogLevel.Information);
        var password = line.Message[ReadyLine.Length..];
        password.Length.ShouldBeGreaterThanOrEqualTo(20);
        PasswordShape().IsMatch(password).ShouldBeTrue(password);
        factory.Logs.Lines.Count(l => Mentions(l, password)).ShouldBe(1, "only the one ready line may carry the password");
        factory.Logs.Lines.ShouldNotContain(l => Mentions(l, ReaderPassword));

        File.ReadAllText(CredentialsFile).ShouldBe($"email=demo@loupe.local\npassword={password}\n");
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(CredentialsFile).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        using var login = await anonymous.LoginAsync(DemoOptions.Email, password);
        var tokens = await login.ShouldBeTokensAsync();
        using var admin = new IdentityDriver(factory).ClientWith(tokens.AccessToken);

        var me = await IdentityApi.GetOkAsync(admin, "/api/v1/me");
        me.GetProperty("email").GetString().ShouldBe("demo@loupe.local");
        me.GetProperty("role").GetString().ShouldBe("admin");
        me.GetProperty("is_instance_admin").GetBoolean().ShouldBeTrue();
        me.GetProperty("organization").GetProperty("name").GetString().ShouldBe("Demo");

        var dataSource = (await IdentityApi.GetRowsAsync(admin, "/api/v1/datasources")).ShouldHaveSingleItem();
        dataSource.GetProperty("name").GetString().ShouldBe("Demo shop");
        dataSource.GetProperty("type").GetString().ShouldBe("postgresql");
        dataSource.GetProperty("has_password").GetBoolean().ShouldBeTrue();
        var settings = dataSource.GetProperty("settings");
        settings.GetProperty("host").GetString().ShouldBe("127.0.0.1");
        settings.GetProperty("port").GetInt32().ShouldBe(6543);
        settings.GetProperty("database").GetString().ShouldBe("demo");
        settings.GetProperty("username").GetString().ShouldBe("loupe_demo_reader");
        dataSource.GetRawText().ShouldNotContain(ReaderPassword);

        (await CountAsync(database, "organizations")).ShouldBe(1);
        (await CountAsync(database, "users")).ShouldBe(1);
        (await CountAsync(database, "data_sources")).ShouldBe(1);
        (await CountAsync(database, "sessions WHERE revoked_reason = 'demo_setup'")).ShouldBe(1, "registration's own session is ended");
        (await StoredReaderPasswordAsync(database, factory.Services.GetRequiredService<ISecretProtector>())).ShouldBe(ReaderPassword);
    }

    [Fact]
    public async Task SecondStart_DoesNothing()
    {
        var database = await _databases.MigratedAsync();
        await using (var first = DemoHost(database))
        {
            using var client = first.CreateClient();
        }

        var credentials = File.ReadAllText(CredentialsFile);

        await using var second = DemoHost(database);
        using var again = second.CreateClient();

        second.Logs.Lines.ShouldNotContain(line => line.Message.Contains("Demo organization", StringComparison.Ordinal) && line.Level >= LogLevel.Information);
        File.ReadAllText(CredentialsFile).ShouldBe(credentials);
        (await CountAsync(database, "organizations")).ShouldBe(1);
        (await CountAsync(database, "users")).ShouldBe(1);
        (await CountAsync(database, "data_sources")).ShouldBe(1);
    }

    [Fact]
    public async Task InstanceWithAUser_DoesNothing()
    {
        var database = await _databases.MigratedAsync();
        await using (var plain = new LoupeApiFactory(TestPostgres.AppConnection(database), TestPostgres.OwnerConnection(database)))
        {
            await new IdentityDriver(plain).RegisterAsync();
        }

        await using var factory = DemoHost(database);
        using var client = factory.CreateClient();

        factory.Logs.Lines.ShouldNotContain(line => line.Message.StartsWith(ReadyLine, StringComparison.Ordinal));
        File.Exists(CredentialsFile).ShouldBeFalse();
        (await CountAsync(database, "organizations")).ShouldBe(1);
        (await CountAsync(database, "users")).ShouldBe(1);
        (await CountAsync(database, "data_sources")).ShouldBe(0);
        using var login = await client.LoginAsync(DemoOptions.Email, "no demo password exists");
        login.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task OutsideDevelopment_DoesNothing()
    {
        var database = await _databases.MigratedAsync();
        await using var factory = DemoHost(database, environment: "Production");
        using var client = factory.CreateClient();

        factory.Logs.Lines.ShouldNotContain(line => line.Message.StartsWith(ReadyLine, StringComparison.Ordinal));
        File.Exists(CredentialsFile).ShouldBeFalse();
        (await CountAsync(database, "users")).ShouldBe(0);
    }

    [Fact]
    public async Task Enabled_WithoutTheDatabasePassword_StopsTheStartNamingTheKey()
    {
        var database = await _databases.MigratedAsync();
#pragma warning disable CA2000 // a host that never started cannot be stopped
        var factory = DemoHost(database, password: null);
#pragma warning restore CA2000

        Should.Throw<Exception>(() => factory.CreateClient());

        factory.Logs.Lines.ShouldContain(line =>
            line.Level == LogLevel.Critical && line.Message.Contains("configuration is invalid") && line.Message.Contains("Demo:Password"));
        (await CountAsync(database, "users")).ShouldBe(0);
    }

    [Fact]
    public void NewPasswords_AreLongAndDifferent()
    {
        var passwords = Enumerable.Range(0, 50).Select(_ => DemoOrganizationSeeder.NewPassword()).ToList();

        passwords.ShouldAllBe(password => PasswordShape().IsMatch(password));
        passwords.Distinct(StringComparer.Ordinal).Count().ShouldBe(passwords.Count);
    }

    private LoupeApiFactory DemoHost(string database, string environment = "Development", string? password = ReaderPassword) =>
        new(
            TestPostgres.AppConnection(database),
            TestPostgres.OwnerConnection(database),
            environment,
            settings: new Dictionary<string, string?>
            {
                ["Demo:Enabled"] = "true",
                ["Demo:Host"] = "127.0.0.1",
                ["Demo:Port"] = "6543",
                ["Demo:Database"] = "demo",
                ["Demo:Username"] = "loupe_demo_reader",
                ["Demo:Password"] = password,
                ["Demo:CredentialsFile"] = CredentialsFile,
            });

    private static bool Mentions(CapturedLine line, string secret) =>
        line.Message.Contains(secret, StringComparison.Ordinal)
        || (line.Exception?.ToString().Contains(secret, StringComparison.Ordinal) ?? false)
        || line.Scope.Values.Any(value => value?.ToString()?.Contains(secret, StringComparison.Ordinal) ?? false);

    /// <summary>Rows of a table (and condition) as the owner sees them: past row-level security, every organization.</summary>
    private static async Task<long> CountAsync(string database, string from)
    {
        await using var connection = new NpgsqlConnection(TestPostgres.OwnerConnection(database));
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {from}", connection);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    private static async Task<string> StoredReaderPasswordAsync(string database, ISecretProtector protector)
    {
        await using var connection = new NpgsqlConnection(TestPostgres.OwnerConnection(database));
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT password_key_id, password_cipher FROM data_sources", connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        (await reader.ReadAsync(Ct)).ShouldBeTrue();
        var cipher = (byte[])reader["password_cipher"];
        System.Text.Encoding.UTF8.GetString(cipher).ShouldNotContain(ReaderPassword);
        return protector.Unprotect(EncryptedSecret.Create(reader.GetString(0), cipher));
    }

    [GeneratedRegex("^[A-Za-z0-9]{20,}$")]
    private static partial Regex PasswordShape();
}
