using FsCheck;
using FsCheck.Fluent;
using Loupe.Domain.Common;
using Loupe.Domain.DataSources;

namespace Loupe.Domain.Tests.DataSources;

public sealed class ConnectionSettingsTests
{
    [Fact]
    public void Postgresql_KeepsItsParts_TrimmingTheHost()
    {
        var settings = ConnectionSettings.Postgresql("  db.example.com ", 6432, "warehouse", "reader", PostgresSslMode.VerifyFull);

        settings.Type.ShouldBe(DataSourceType.Postgresql);
        settings.Host.ShouldBe("db.example.com");
        settings.Port.ShouldBe(6432);
        settings.Database.ShouldBe("warehouse");
        settings.Username.ShouldBe("reader");
        settings.SslMode.ShouldBe(PostgresSslMode.VerifyFull);
        settings.Path.ShouldBeNull();
    }

    [Fact]
    public void Ports_AreAcceptedExactlyFromOneTo65535() =>
        Prop.ForAll(ArbMap.Default.ArbFor<int>(), Gen.Choose(-70000, 140000).ToArbitrary(), (anyPort, nearPort) =>
            new[] { anyPort, nearPort }.All(port =>
            {
                var errors = ConnectionSettings.CheckPostgresql("db", port, "d", "u", PostgresSslMode.Prefer);
                return port is >= 1 and <= 65535 ? errors.Count == 0 : errors.SequenceEqual([DataSourceErrors.PortOutOfRange]);
            })).QuickCheckThrowOnFailure();

    [Theory]
    [InlineData("", "data_source.host_required")]
    [InlineData("   ", "data_source.host_required")]
    [InlineData("a,b", "data_source.host_invalid")]
    [InlineData("/var/run/postgresql", "data_source.host_invalid")]
    [InlineData("db host", "data_source.host_invalid")]
    [InlineData("db;Options=-c", "data_source.host_invalid")]
    public void Hosts_ThatAreNotOneNameOrAddress_AreRefused(string host, string code) =>
        Should.Throw<DomainException>(() => ConnectionSettings.Postgresql(host, 5432, "d", "u")).Error.Code.ShouldBe(code);

    [Theory]
    [InlineData("db.example.com")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("[2001:db8::1]")]
    [InlineData("my_host-1")]
    public void Hosts_ThatAreNamesOrAddresses_AreAccepted(string host) =>
        ConnectionSettings.Postgresql(host, 5432, "d", "u").Host.ShouldBe(host);

    [Fact]
    public void Hosts_AreAcceptedOnlyWhenMadeOfHostCharacters()
    {
        var hosts = Gen.Choose(0, 300)
            .SelectMany(length => Gen.Elements('a', 'Z', '0', '.', '-', '_', ':', ' ', ',', '/', ';', '=', 'é', '\n').ArrayOf(length))
            .Select(chars => new string(chars));

        Prop.ForAll(hosts.ToArbitrary(), host =>
        {
            var trimmed = host.Trim();
            var valid = trimmed.Length is > 0 and <= ConnectionSettings.HostMaxLength
                && trimmed.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or ':');
            var errors = ConnectionSettings.CheckPostgresql(host, 5432, "d", "u", PostgresSslMode.Prefer);
            return valid ? errors.Count == 0 : errors.Count == 1 && errors[0].Field == "settings.host";
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void DatabaseAndUserNames_AreAtMost63Utf8Bytes()
    {
        var names = Gen.Choose(1, 80)
            .SelectMany(length => Gen.Elements('a', 'Z', '7', '-', ' ', 'é', ';', '=', '\'', '"').ArrayOf(length))
            .Select(chars => new string(chars))
            .Where(name => name.Trim().Length == name.Length);

        Prop.ForAll(names.ToArbitrary(), name =>
        {
            var fits = System.Text.Encoding.UTF8.GetByteCount(name) <= ConnectionSettings.IdentifierMaxLength;
            var errors = ConnectionSettings.CheckPostgresql("db", 5432, name, name, PostgresSslMode.Prefer);
            return fits
                ? errors.Count == 0
                : errors.SequenceEqual([DataSourceErrors.DatabaseInvalid, DataSourceErrors.UsernameInvalid]);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void CheckPostgresql_NamesEveryBrokenField()
    {
        var errors = ConnectionSettings.CheckPostgresql(null, 0, "", "bad\nname", (PostgresSslMode)42);

        errors.Select(error => error.Field).ShouldBe(["settings.host", "settings.port", "settings.database", "settings.username", "settings.ssl_mode"]);
    }

    [Theory]
    [InlineData("app.db")]
    [InlineData("sales/2026/q1.sqlite")]
    [InlineData("with space.db")]
    public void SqlitePaths_ThatAreRelative_AreAccepted(string path) =>
        ConnectionSettings.Sqlite(path).Path.ShouldBe(path);

    [Theory]
    [InlineData("", "data_source.path_required")]
    [InlineData("/etc/passwd", "data_source.path_invalid")]
    [InlineData("../secrets.db", "data_source.path_invalid")]
    [InlineData("a/../../b.db", "data_source.path_invalid")]
    [InlineData("./a.db", "data_source.path_invalid")]
    [InlineData("a//b.db", "data_source.path_invalid")]
    [InlineData("C:/data/a.db", "data_source.path_invalid")]
    [InlineData("a\\b.db", "data_source.path_invalid")]
    [InlineData("file:a.db?mode=rwc", "data_source.path_invalid")]
    [InlineData("~/a.db", "data_source.path_invalid")]
    public void SqlitePaths_ThatCouldLeaveTheDataFolder_AreRefused(string path, string code) =>
        Should.Throw<DomainException>(() => ConnectionSettings.Sqlite(path)).Error.Code.ShouldBe(code);

    [Fact]
    public void SslModes_HaveTheirLibpqNames()
    {
        foreach (var mode in Enum.GetValues<PostgresSslMode>())
        {
            PostgresSslModes.TryParse(mode.ToName(), out var parsed).ShouldBeTrue();
            parsed.ShouldBe(mode);
        }

        PostgresSslModes.Names.ShouldBe(["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]);
        PostgresSslModes.TryParse("VerifyFull", out _).ShouldBeFalse();
    }
}
