using System.Security.Cryptography;
using Loupe.Application.Common.Security;
using Loupe.Domain.DataSources;
using Loupe.Infrastructure.Security.Secrets;
using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Loupe.Integration.Tests.Secrets;

/// <summary><c>secrets rotate</c>: every stored password of every organization ends up under the active key.</summary>
public sealed class SecretRotationTests(IdentityApi api) : ResetBeforeEachTest(api), IClassFixture<IdentityApi>
{
    private static readonly string NewKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task Rotate_ReencryptsEveryOrganizationsPasswords_UnderTheActiveKey_AndIsIdempotent()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = await api.Identity.RegisterAsync();
        var second = await api.Identity.RegisterAsync();
        var one = (await IdentityApi.CreateDataSourceAsync(first, password: "first-org-pw")).GetProperty("id").GetGuid();
        var two = (await IdentityApi.CreateDataSourceAsync(second, password: "second-org-pw")).GetProperty("id").GetGuid();

        await using var rotated = HostWith(new()
        {
            ["Secrets:ActiveKeyId"] = "next",
            ["Secrets:Keys:next"] = NewKey,
            [$"Secrets:Keys:{LoupeApiFactory.TestSecretsKeyId}"] = LoupeApiFactory.TestSecretsKey,
        });
        var output = new StringWriter();
        var exit = await SecretsCli.RunAsync(["rotate"], rotated.Services.GetRequiredService<SecretRotation>(), output, ct);

        exit.ShouldBe(0);
        output.ToString().ShouldContain("Re-encrypted ");
        var protector = rotated.Services.GetRequiredService<ISecretProtector>();
        var stored = await StoredAsync(ct);
        stored.Values.ShouldAllBe(secret => secret.KeyId == "next");
        protector.Unprotect(stored[one]).ShouldBe("first-org-pw");
        protector.Unprotect(stored[two]).ShouldBe("second-org-pw");

        var again = await rotated.Services.GetRequiredService<SecretRotation>().RotateAsync(ct);
        again.Reencrypted.ShouldBe(0);
        again.AlreadyCurrent.ShouldBe(stored.Count);
        (await StoredAsync(ct)).ShouldBe(stored);
    }

    [Fact]
    public async Task Rotate_WithoutTheOldKey_LeavesThoseSecretsAlone_AndExitsWithOne()
    {
        var ct = TestContext.Current.CancellationToken;
        var admin = await api.Identity.RegisterAsync();
        var id = (await IdentityApi.CreateDataSourceAsync(admin, password: "kept-as-is")).GetProperty("id").GetGuid();
        var before = (await StoredAsync(ct))[id];

        await using var host = HostWith(new() { ["Secrets:ActiveKeyId"] = "lonely", ["Secrets:Keys:lonely"] = NewKey });
        var exit = await SecretsCli.RunAsync(["rotate"], host.Services.GetRequiredService<SecretRotation>(), new StringWriter(), ct);

        exit.ShouldBe(1);
        (await StoredAsync(ct))[id].ShouldBe(before);
        host.Logs.Lines.ShouldContain(line => line.Message.Contains(id.ToString(), StringComparison.Ordinal));
        host.Logs.Lines.ShouldAllBe(line => !line.Message.Contains("kept-as-is", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnknownSubcommand_PrintsUsage()
    {
        await using var host = HostWith([]);
        var output = new StringWriter();

        (await SecretsCli.RunAsync(["spin"], host.Services.GetRequiredService<SecretRotation>(), output, TestContext.Current.CancellationToken)).ShouldBe(2);
        output.ToString().ShouldContain(SecretsCli.Usage);
    }

    private LoupeApiFactory HostWith(Dictionary<string, string?> settings) =>
        new(api.AppConnection, api.OwnerConnection, settings: settings);

    private async Task<Dictionary<Guid, EncryptedSecret>> StoredAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(api.OwnerConnection);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT id, password_key_id, password_cipher FROM data_sources WHERE password_cipher IS NOT NULL", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var stored = new Dictionary<Guid, EncryptedSecret>();
        while (await reader.ReadAsync(ct))
        {
            stored[reader.GetGuid(0)] = EncryptedSecret.Create(reader.GetString(1), reader.GetFieldValue<byte[]>(2));
        }

        return stored;
    }
}
