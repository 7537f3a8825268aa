using System.Collections;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Infrastructure.Configuration;
using Loupe.Infrastructure.Security.Tokens;
using Microsoft.Extensions.Configuration;

namespace Loupe.Infrastructure.Tests.Configuration;

public sealed class SecretFilesConfigurationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("loupe-secrets-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void SigningKeyFile_SetsAuthSigningKey_WithoutTheFinalNewline()
    {
        var path = Write("jwt", "a-signing-key-of-at-least-32-bytes-long\n");

        var configuration = Build(new Hashtable { ["Auth__SigningKey_FILE"] = path });

        configuration["Auth:SigningKey"].ShouldBe("a-signing-key-of-at-least-32-bytes-long");
        var options = new AuthOptions();
        configuration.GetSection(AuthOptions.Section).Bind(options);
        options.SigningKey.ShouldBe("a-signing-key-of-at-least-32-bytes-long");
    }

    [Fact]
    public void ConnectionStringFile_SetsTheConnectionString()
    {
        var path = Write("db", "Host=db;Password=p w\r\n");

        var configuration = Build(new Hashtable { ["ConnectionStrings__Loupe_FILE"] = path });

        configuration.GetConnectionString("Loupe").ShouldBe("Host=db;Password=p w");
    }

    [Property]
    public Property AnySecret_RoundTripsThroughAFile_LessOneFinalNewline()
    {
        var contents = Gen.Elements('a', 'Z', '0', ' ', '\t', '\n', '=', ';', 'é', '€')
            .ArrayOf()
            .Select(chars => new string(chars));

        return Prop.ForAll(contents.ToArbitrary(), content =>
        {
            var path = Write(Guid.NewGuid().ToString("N"), content + "\n");
            Build(new Hashtable { ["Section__Secret_FILE"] = path })["Section:Secret"].ShouldBe(content);
        });
    }

    [Fact]
    public void SecretFile_WinsOverTheSameKeySetEarlier()
    {
        var path = Write("jwt", "from-the-file");

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Auth:SigningKey"] = "from-the-environment" })
            .AddSecretFiles(new Hashtable { ["Auth__SigningKey_FILE"] = path })
            .Build();

        configuration["Auth:SigningKey"].ShouldBe("from-the-file");
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("")]
    public void UnreadableFile_StopsTheStartNamingTheVariable(string file)
    {
        var path = file.Length == 0 ? string.Empty : Path.Combine(_folder, file);

        var refused = Should.Throw<SecretFileException>(() => Build(new Hashtable { ["Auth__SigningKey_FILE"] = path }));

        refused.Message.ShouldContain("Auth__SigningKey_FILE");
        refused.Variable.ShouldBe("Auth__SigningKey_FILE");
    }

    [Theory]
    [InlineData("SSL_CERT_FILE")]
    [InlineData("TF_CLI_CONFIG_FILE")]
    [InlineData("__FILE")]
    [InlineData("Auth___FILE")]
    [InlineData("Auth__SigningKey")]
    public void VariablesWithoutASectionedKey_AreLeftAlone(string variable)
    {
        var configuration = Build(new Hashtable { [variable] = Path.Combine(_folder, "does-not-exist") });

        configuration.AsEnumerable().ShouldBeEmpty();
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static IConfigurationRoot Build(IDictionary variables) =>
        new ConfigurationBuilder().AddSecretFiles(variables).Build();
}
