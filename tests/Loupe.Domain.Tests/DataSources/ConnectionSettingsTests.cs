using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
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

    [Property]
    public Property Ports_AreAcceptedExactlyFromOneTo65535() =>
        Prop.ForAll(ArbMap.Default.ArbFor<int>(), Gen.Choose(-70000, 140000).ToArbitrary(), (anyPort, nearPort) =>
            new[] { anyPort, nearPort }.All(port =>
            {
                var errors = ConnectionSettings.CheckPostgresql("db", port, "d", "u", PostgresSslMode.Prefer);
                return port is >= 1 and <= 65535 ? errors.Count == 0 : errors.SequenceEqual([DataSourceErrors.PortOutOfRange]);
            }));

    [Theory]
    [InlineData("", "datasource.host_required")]
    [InlineData("   ", "datasource.host_required")]
    [InlineData("a,b", "datasource.host_invalid")]
    [InlineData("/var/run/postgresql", "datasource.host_invalid")]
    [InlineData("db host", "datasource.host_invalid")]
    [InlineData("db;Options=-c", "datasource.host_invalid")]
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

    [Property]
    public Property Hosts_AreAcceptedOnlyWhenMadeOfHostCharacters()
    {
        var hosts = Gen.Choose(0, 300)
            .SelectMany(length => Gen.Elements('a', 'Z', '0', '.', '-', '_', ':', ' ', ',', '/', ';', '=', 'é', '\n').ArrayOf(length))
            .Select(chars => new string(chars));

        return Prop.ForAll(hosts.ToArbitrary(), host =>
        {
            var trimmed = host.Trim();
            var valid = trimmed.Length is > 0 and <= ConnectionSettings.HostMaxLength
                && trimmed.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or ':');
            var errors = ConnectionSettings.CheckPostgresql(host, 5432, "d", "u", PostgresSslMode.Prefer);
            return valid ? errors.Count == 0 : errors.Count == 1 && errors[0].Field == "settings.host";
        });
    }

    [Property]
    public Property DatabaseAndUserNames_AreAtMost63Utf8Bytes()
    {
        var names = Gen.Choose(1, 80)
            .SelectMany(length => Gen.Elements('a', 'Z', '7', '-', ' ', 'é', ';', '=', '\'', '"').ArrayOf(length))
            .Select(chars => new string(chars))
            .Where(name => name.Trim().Length == name.Length);

        return Prop.ForAll(names.ToArbitrary(), name =>
        {
            var fits = System.Text.Encoding.UTF8.GetByteCount(name) <= ConnectionSettings.IdentifierMaxLength;
            var errors = ConnectionSettings.CheckPostgresql("db", 5432, name, name, PostgresSslMode.Prefer);
            return fits
                ? errors.Count == 0
                : errors.SequenceEqual([DataSourceErrors.DatabaseInvalid, DataSourceErrors.UsernameInvalid]);
        });
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
    [InlineData("", "datasource.path_required")]
    [InlineData("/etc/passwd", "datasource.path_invalid")]
    [InlineData("../secrets.db", "datasource.path_invalid")]
    [InlineData("a/../../b.db", "datasource.path_invalid")]
    [InlineData("./a.db", "datasource.path_invalid")]
    [InlineData("a//b.db", "datasource.path_invalid")]
    [InlineData("C:/data/a.db", "datasource.path_invalid")]
    [InlineData("a\\b.db", "datasource.path_invalid")]
    [InlineData("file:a.db?mode=rwc", "datasource.path_invalid")]
    [InlineData("~/a.db", "datasource.path_invalid")]
    public void SqlitePaths_ThatCouldLeaveTheDataFolder_AreRefused(string path, string code) =>
        Should.Throw<DomainException>(() => ConnectionSettings.Sqlite(path)).Error.Code.ShouldBe(code);

    [Property]
    public Property CheckSqlite_NeverThrows_AndAcceptsOnlyPathsThatStayInTheFolder()
    {
        // Pieces that make the tricky paths: separators, dot segments, NUL, roots, drive and URI prefixes.
        var pieces = Gen.Elements("a", "b.db", "sub", "..", ".", "...", "..db", "/", "//", "\\", "\0", " ", "~", ":", "C:", "file:", "é", "\uD800", "\n", "\u2028");
        var built = Gen.Choose(0, 12).SelectMany(count => pieces.ArrayOf(count)).Select(parts => string.Concat(parts));

        return Prop.ForAll(built.ToArbitrary(), ArbMap.Default.ArbFor<string>(), (tricky, any) =>
            new[] { tricky, any }.All(path =>
            {
                var errors = ConnectionSettings.CheckSqlite(path);
                return errors.Count > 0 || StaysInTheFolder(path!);
            }));
    }

    [Property]
    public Property SqlitePaths_OfPlainSegments_AreAccepted() =>
        Prop.ForAll(
            Gen.Elements("a", "b.db", "sales 2026", "é.sqlite", "...", "..db", ".hidden", "x~").NonEmptyListOf().ToArbitrary(),
            segments =>
            {
                var path = string.Join('/', segments);
                return path.Length > ConnectionSettings.PathMaxLength
                    ? ConnectionSettings.CheckSqlite(path).SequenceEqual([DataSourceErrors.PathInvalid])
                    : ConnectionSettings.CheckSqlite(path).Count == 0 && ConnectionSettings.Sqlite(path).Path == path && StaysInTheFolder(path);
            });

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

    /// <summary>What an accepted SQLite path must be: relative, without <c>..</c> or NUL, and inside any folder it is joined to.</summary>
    private static bool StaysInTheFolder(string path) =>
        !Path.IsPathRooted(path)
        && !path.Contains('\0', StringComparison.Ordinal)
        && !path.Split('/', '\\').Contains("..")
        && Path.GetFullPath(Path.Join("/srv/loupe/data", path)).StartsWith("/srv/loupe/data/", StringComparison.Ordinal);
}
