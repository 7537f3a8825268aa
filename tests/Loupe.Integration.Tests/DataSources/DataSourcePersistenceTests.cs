using Loupe.Domain.DataSources;
using Loupe.Integration.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Loupe.Integration.Tests.DataSources;

/// <summary>The data source model round-trips through <c>data_sources</c>, settings and encrypted password included.</summary>
public sealed class DataSourcePersistenceTests(DatabaseFixture database) : ResetBeforeEachTest(database), IClassFixture<DatabaseFixture>
{
    private static readonly byte[] Cipher = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29];

    [Fact]
    public async Task APostgresDataSource_IsStoredAndReadBack_WithItsSettingsAndEncryptedPassword()
    {
        var organization = await TenantData.CreateOrganizationAsync(database.AppConnection);
        var settings = ConnectionSettings.Postgresql("db.example.com", 6543, "sales", "reader", PostgresSslMode.VerifyFull);
        var created = DataSource.Create(
            Guid.CreateVersion7(), organization.Id, "Sales", settings, EncryptedSecret.Create("k1", Cipher), DataSourceLimits.Default, TenantData.Epoch, 60, 500);
        await using (var context = TenantData.Context(database.AppConnection, organization.Id))
        {
            context.DataSources.Add(created);
            await context.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using var reading = TenantData.Context(database.AppConnection, organization.Id);
        var stored = await reading.DataSources.AsNoTracking().SingleAsync(d => d.Id == created.Id, TestContext.Current.CancellationToken);

        stored.Name.ShouldBe("Sales");
        stored.Type.ShouldBe(DataSourceType.Postgresql);
        stored.Settings.ShouldBe(settings);
        stored.HasPassword.ShouldBeTrue();
        stored.Password.ShouldBe(EncryptedSecret.Create("k1", Cipher));
        stored.QueryTimeoutSeconds.ShouldBe(60);
        stored.MaxRows.ShouldBe(500);
        (await ColumnAsync(created.Id, "ssl_mode")).ShouldBe("verify-full");
        (await ColumnAsync(created.Id, "type")).ShouldBe("postgresql");
    }

    [Fact]
    public async Task ChangedSettingsAndAClearedPassword_AreSaved()
    {
        var organization = await TenantData.CreateOrganizationAsync(database.AppConnection);
        var created = DataSource.Create(
            Guid.CreateVersion7(),
            organization.Id,
            "Warehouse",
            ConnectionSettings.Postgresql("db1", 5432, "dw", "bi"),
            EncryptedSecret.Create("k1", Cipher),
            DataSourceLimits.Default,
            TenantData.Epoch);
        await using (var context = TenantData.Context(database.AppConnection, organization.Id))
        {
            context.DataSources.Add(created);
            await context.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using (var context = TenantData.Context(database.AppConnection, organization.Id))
        {
            var loaded = await context.DataSources.SingleAsync(d => d.Id == created.Id, TestContext.Current.CancellationToken);
            loaded.ChangeConnection(
                ConnectionSettings.Postgresql("db2", 5433, "dw", "bi", PostgresSslMode.Require), PasswordChange.Clear, TenantData.Epoch.AddDays(1));
            await context.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using var reading = TenantData.Context(database.AppConnection, organization.Id);
        var stored = await reading.DataSources.AsNoTracking().SingleAsync(d => d.Id == created.Id, TestContext.Current.CancellationToken);
        stored.Settings.Host.ShouldBe("db2");
        stored.Settings.Port.ShouldBe(5433);
        stored.Settings.SslMode.ShouldBe(PostgresSslMode.Require);
        stored.HasPassword.ShouldBeFalse();
        (await ColumnAsync(created.Id, "password_key_id")).ShouldBeNull();
    }

    [Fact]
    public async Task TwoDataSourcesOfOneOrganization_CannotShareAName()
    {
        var organization = await TenantData.CreateOrganizationAsync(database.AppConnection);
        await using var context = TenantData.Context(database.AppConnection, organization.Id);
        foreach (var _ in new[] { 1, 2 })
        {
            context.DataSources.Add(DataSource.Create(
                Guid.CreateVersion7(), organization.Id, "Same", ConnectionSettings.Sqlite("a.db"), null, DataSourceLimits.Default, TenantData.Epoch));
        }

        var refused = await Should.ThrowAsync<DbUpdateException>(() => context.SaveChangesAsync(TestContext.Current.CancellationToken));

        refused.InnerException.ShouldBeOfType<PostgresException>().SqlState.ShouldBe(PostgresErrorCodes.UniqueViolation);
    }

    private async Task<string?> ColumnAsync(Guid id, string column)
    {
        await using var connection = new NpgsqlConnection(database.OwnerConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT {column}::text FROM data_sources WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteScalarAsync() as string;
    }
}
