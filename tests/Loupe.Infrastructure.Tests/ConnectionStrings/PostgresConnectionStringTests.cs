using System.ComponentModel;
using System.Reflection;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Domain.DataSources;
using Loupe.Infrastructure.Connectors.ConnectionStrings;
using Npgsql;

namespace Loupe.Infrastructure.Tests.ConnectionStrings;

public sealed class PostgresConnectionStringTests
{
    private static readonly string[] Whitelisted = ["Host", "Port", "Database", "Username", "Password", "SSL Mode"];

    public static TheoryData<string> RefusedKeys()
    {
        var keys = typeof(NpgsqlConnectionStringBuilder).GetProperties()
            .Select(property => property.GetCustomAttribute<DisplayNameAttribute>()?.DisplayName)
            .OfType<string>()
            .Where(name => !Whitelisted.Contains(name))
            .Concat(["Include Error Detail", "Server Compatibility Mode", "Options", "Load Balance Hosts", "Trust Server Certificate", "Passfile", "Search Path", "Pooling", "Maximum Pool Size", "Root Certificate", "Krbsrvname", "Load Balance Timeout", "user", "sslrootcert", "Integrated Security"])
            .Distinct(StringComparer.OrdinalIgnoreCase);
        return new TheoryData<string>(keys);
    }

    [Fact]
    public void KeyValueForm_IsRead_WithAnyNpgsqlSpellingOfTheAllowedKeys()
    {
        var result = PostgresConnectionString.Parse("Server=db.example.com; Port=6432; DB=warehouse; User Id=reader; PWD='p;a=ss'; SslMode=verify-full");

        result.Errors.ShouldBeEmpty();
        result.Settings.ShouldBe(ConnectionSettings.Postgresql("db.example.com", 6432, "warehouse", "reader", PostgresSslMode.VerifyFull));
        result.Password.ShouldBe("p;a=ss");
    }

    [Theory]
    [InlineData("postgresql://reader:p%40ss%3Aw0rd@db.example.com:6432/warehouse?sslmode=require", "p@ss:w0rd", 6432, PostgresSslMode.Require)]
    [InlineData("postgres://reader@db.example.com/warehouse", null, 5432, PostgresSslMode.Prefer)]
    [InlineData("POSTGRESQL://reader:@db.example.com/warehouse?sslmode=VerifyCA", null, 5432, PostgresSslMode.VerifyCa)]
    public void UriForm_IsRead(string text, string? password, int port, PostgresSslMode sslMode)
    {
        var result = PostgresConnectionString.Parse(text);

        result.Errors.ShouldBeEmpty();
        result.Settings.ShouldBe(ConnectionSettings.Postgresql("db.example.com", port, "warehouse", "reader", sslMode));
        result.Password.ShouldBe(password);
        result.ToString().ShouldNotContain("p@ss");
    }

    [Theory]
    [InlineData(null, "connection_string.required", "connection_string")]
    [InlineData("  ", "connection_string.required", "connection_string")]
    [InlineData("mysql://u@h/db", "connection_string.unsupported_scheme", "connection_string")]
    [InlineData("Host=a;Server=b;Database=d;Username=u", "connection_string.key_repeated", "connection_string")]
    [InlineData("Host=h;Port=abc;Database=d;Username=u", "connection_string.port_invalid", "settings.port")]
    [InlineData("Host=h;Port=70000;Database=d;Username=u", "datasource.port_out_of_range", "settings.port")]
    [InlineData("Host=h;Database=d;Username=u;SSL Mode=sometimes", "connection_string.ssl_mode_invalid", "settings.ssl_mode")]
    [InlineData("Host=h;Username=u", "datasource.database_required", "settings.database")]
    [InlineData("Database=d;Username=u", "datasource.host_required", "settings.host")]
    [InlineData("Host=a,b;Database=d;Username=u", "datasource.host_invalid", "settings.host")]
    [InlineData("Host=/var/run/postgresql;Database=d;Username=u", "datasource.host_invalid", "settings.host")]
    [InlineData("postgresql://u@h/db?application_name=x", "connection_string.key_not_allowed", "connection_string")]
    [InlineData("postgresql://u@h/db/extra", "connection_string.malformed", "connection_string")]
    [InlineData("Host=h;Database=d;Username=u;Command Timeout=5", "connection_string.key_set_by_loupe", "connection_string")]
    [InlineData("Host=h;Database=d;Username=u;Application Name=x", "connection_string.key_set_by_loupe", "connection_string")]
    [InlineData("Host='unterminated", "connection_string.malformed", "connection_string")]
    public void InvalidStrings_GiveFieldErrors(string? text, string code, string field)
    {
        var result = PostgresConnectionString.Parse(text);

        result.IsValid.ShouldBeFalse();
        result.Errors.ShouldContain(error => error.Code == code && error.Field == field);
    }

    [Fact]
    public void TooLongStrings_AreRefused() =>
        PostgresConnectionString.Parse("Host=h;Database=d;Username=u;Password=" + new string('x', 4096)).Errors
            .ShouldBe([ConnectionStringErrors.TooLong]);

    [Theory]
    [MemberData(nameof(RefusedKeys))]
    public void EveryOtherNpgsqlKeyword_IsRefused_NamingIt(string key)
    {
        var result = PostgresConnectionString.Parse($"Host=h;Database=d;Username=u;{key}=1");

        result.IsValid.ShouldBeFalse();
        result.Errors.ShouldHaveSingleItem().Message.ShouldContain($"'{key}'");
    }

    [Fact]
    public void RefusedKeys_CoverEveryNpgsqlKeywordButTheWhitelist() =>
        RefusedKeys().Count.ShouldBeGreaterThan(55);

    [Property]
    public Property Parse_NeverThrows_OnArbitraryText()
    {
        var fragments = Gen.Elements(
            "Host", "=", ";", "'", "\"", "postgresql://", "postgres://", "@", ":", "/", "?", "&", "%", "%zz", "sslmode", "Port", "99999999999",
            "Database", "User Id", "Password", " ", "==", ";;", "[", "]", "::1", "\0", "é", "Options", "SSL Mode", "verify-full", "#", "\n");
        var built = Gen.Choose(0, 40).SelectMany(count => fragments.ArrayOf(count)).Select(string.Concat);
        var any = Gen.OneOf(built, ArbMap.Default.ArbFor<string>().Generator);

        return Prop.ForAll(any.ToArbitrary(), text =>
        {
            var result = PostgresConnectionString.Parse(text);
            return result.IsValid ? result.Errors.Count == 0 && result.Settings is not null : result.Errors.Count > 0;
        });
    }

    [Property]
    public Property Settings_ThroughBuildAndParse_ComeBackTheSame()
    {
        var hostChars = Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789.-_".ToCharArray());
        var host = Gen.Choose(1, 40).SelectMany(length => hostChars.ArrayOf(length)).Select(chars => new string(chars));
        var nameChars = Gen.Elements("aZ7 -;='\"é@:/\\%{}".ToCharArray());
        var name = Gen.Choose(1, 30).SelectMany(length => nameChars.ArrayOf(length)).Select(chars => new string(chars)).Where(text => text.Trim() == text && text.Length > 0);
        // A password ending in one line feed cannot go through the text (see BuildForConnecting_KeepsEveryPasswordExactly).
        var password = Gen.OneOf(
            Gen.Constant<string?>(null),
            ArbMap.Default.ArbFor<string>().Generator
                .Where(text => text is not null && !text.Contains('\0', StringComparison.Ordinal) && !text.EndsWith('\n'))
                .Select(text => (string?)text));
        var cases =
            from h in host
            from port in Gen.Choose(1, 65535)
            from database in name
            from user in name
            from mode in Gen.Elements(Enum.GetValues<PostgresSslMode>())
            from secret in password
            select (Settings: ConnectionSettings.Postgresql(h, port, database, user, mode), Password: secret);

        return Prop.ForAll(cases.ToArbitrary(), pair =>
        {
            var result = PostgresConnectionString.Parse(PostgresConnectionString.Build(pair.Settings, pair.Password));
            return result.Settings == pair.Settings && result.Password == (pair.Password is "" ? null : pair.Password);
        });
    }

    [Theory]
    [InlineData("#\n")]
    [InlineData("\n")]
    [InlineData(" padded ")]
    [InlineData("quote\"and'apostrophe;semi=equals")]
    public void BuildForConnecting_KeepsEveryPasswordExactly(string password)
    {
        var settings = ConnectionSettings.Postgresql("db", 5432, "d", "u", PostgresSslMode.Require);

        PostgresConnectionString.BuildForConnecting(settings, password, 30).Password.ShouldBe(password);
    }

    [Fact]
    public void BuildForConnecting_AddsWhatLoupeOwns()
    {
        var settings = ConnectionSettings.Postgresql("db", 5432, "d", "u", PostgresSslMode.Require);

        var builder = PostgresConnectionString.BuildForConnecting(settings, "pw", 120);

        (builder.Host, builder.Port, builder.Database, builder.Username, builder.Password, builder.SslMode).ShouldBe(("db", 5432, "d", "u", "pw", SslMode.Require));
        (builder.CommandTimeout, builder.Timeout, builder.ApplicationName).ShouldBe((120, 15, "Loupe"));
    }
}
