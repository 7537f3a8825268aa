using Loupe.Domain.Organizations;
using Loupe.Domain.Users;
using Loupe.Integration.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Loupe.Integration.Tests.Tenancy;

/// <summary>The second wall: PostgreSQL itself keeps organizations apart, whatever the application asks.</summary>
public sealed class RowLevelSecurityTests(DatabaseFixture database) : ResetBeforeEachTest(database), IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task WithTheApplicationFilterBypassed_RowLevelSecurityStillHidesOtherOrganizations()
    {
        var (a, b) = await TwoOrganizationsAsync();
        await using var context = TenantData.Context(database.AppConnection, a.Id);

        var users = await context.Users.IgnoreQueryFilters().ToListAsync(TestContext.Current.CancellationToken);
        var organizations = await context.Organizations.IgnoreQueryFilters().ToListAsync(TestContext.Current.CancellationToken);

        users.ShouldNotBeEmpty();
        users.ShouldAllBe(u => u.OrganizationId == a.Id);
        organizations.Select(o => o.Id).ShouldBe([a.Id]);
        b.Id.ShouldNotBe(a.Id);
    }

    [Fact]
    public async Task EverySaveOfAContext_IsScopedToItsOrganization_EvenOnTheSamePooledConnection()
    {
        // One pooled connection: Npgsql hands out the same transaction object for each transaction on it,
        // so the organization must be set again for every transaction, not once per transaction object.
        var organization = await TenantData.CreateOrganizationAsync(database.AppConnection);
        var single = new NpgsqlConnectionStringBuilder(database.AppConnection) { MaxPoolSize = 1, ApplicationName = $"rls-{Guid.NewGuid():N}" }.ConnectionString;
        await using var context = TenantData.Context(single, organization.Id);
        var stored = await context.Organizations.SingleAsync(o => o.Id == organization.Id, TestContext.Current.CancellationToken);

        for (var save = 1; save <= 4; save++)
        {
            stored.Rename($"Acme {save}", TenantData.Epoch.AddMinutes(save));
            await context.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using var fresh = TenantData.Context(database.AppConnection, organization.Id);
        (await fresh.Organizations.SingleAsync(o => o.Id == organization.Id, TestContext.Current.CancellationToken)).Name.ShouldBe("Acme 4");
    }

    [Fact]
    public async Task WithoutAnOrganization_EveryTenantTableLooksEmpty()
    {
        await TwoOrganizationsAsync();
        await using var connection = new NpgsqlConnection(database.AppConnection);
        await connection.OpenAsync(TestContext.Current.CancellationToken);

        foreach (var table in await TenantTablesAsync())
        {
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
            ((long)(await count.ExecuteScalarAsync(TestContext.Current.CancellationToken))!).ShouldBe(0, $"{table} leaked rows without an organization");
        }
    }

    [Fact]
    public async Task WritingARowOfAnotherOrganization_IsRefusedByThePolicy()
    {
        var (a, b) = await TwoOrganizationsAsync();
        await using var connection = new NpgsqlConnection(database.AppConnection);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var write = new NpgsqlCommand(
            $"SELECT set_config('loupe.organization_id', '{a.Id}', true); " +
            "INSERT INTO users (id, organization_id, email, name, password_hash, role, is_instance_admin, recent_failed_logins, created_at, updated_at) " +
            $"VALUES (gen_random_uuid(), '{b.Id}', 'intruder@example.com', 'Intruder', 'x', 'admin', false, '{{}}', now(), now())",
            connection);

        var refused = await Should.ThrowAsync<PostgresException>(() => write.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));

        refused.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
    }

    [Fact]
    public async Task TheApplication_RefusesToSaveARowOfAnotherOrganization_BeforePostgresSeesIt()
    {
        var (a, b) = await TwoOrganizationsAsync();
        await using var context = TenantData.Context(database.AppConnection, a.Id);
        context.Users.Add(User.Register(
            Guid.CreateVersion7(), b.Id, EmailAddress.Parse("other@example.com"), "Other", "hash", Role.Admin, false, TenantData.Epoch));

        var refused = await Should.ThrowAsync<InvalidOperationException>(() => context.SaveChangesAsync(TestContext.Current.CancellationToken));

        refused.Message.ShouldContain("another organization");
    }

    [Fact]
    public async Task EveryTableWithAnOrganization_HasRowLevelSecurityAndAPolicy_AndTheApplicationRoleCannotBypassIt()
    {
        await using var connection = new NpgsqlConnection(database.OwnerConnection);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var unprotected = new NpgsqlCommand(
            """
            SELECT c.relname FROM pg_class c
            WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
              AND (c.relname = 'organizations' OR EXISTS (
                    SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'organization_id' AND NOT a.attisdropped))
              AND (NOT c.relrowsecurity OR NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid))
            """,
            connection);
        var missing = new List<string>();
        await using (var reader = await unprotected.ExecuteReaderAsync(TestContext.Current.CancellationToken))
        {
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                missing.Add(reader.GetString(0));
            }
        }

        await using var role = new NpgsqlCommand(
            "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = 'loupe_app'", connection);

        missing.ShouldBeEmpty();
        (await TenantTablesAsync()).Count.ShouldBeGreaterThanOrEqualTo(8);
        ((bool)(await role.ExecuteScalarAsync(TestContext.Current.CancellationToken))!).ShouldBeFalse();
    }

    /// <summary>
    /// The one exception is <c>jobs</c> (ADR 0021): an instance job (retention, backups) belongs to no
    /// organization. Its policies still fail closed: reads match only the current organization, and
    /// without one a writer may add only instance jobs.
    /// </summary>
    [Fact]
    public async Task TenantColumns_AreNotNull_ButForInstanceJobs()
    {
        await using var connection = new NpgsqlConnection(database.OwnerConnection);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var nullable = new NpgsqlCommand(
            "SELECT coalesce(array_agg(table_name::text ORDER BY table_name), '{}') FROM information_schema.columns " +
            "WHERE table_schema = 'public' AND column_name = 'organization_id' AND is_nullable = 'YES'",
            connection);

        ((string[])(await nullable.ExecuteScalarAsync(TestContext.Current.CancellationToken))!).ShouldBe(["jobs"]);
    }

    private async Task<IReadOnlyList<string>> TenantTablesAsync()
    {
        await using var connection = new NpgsqlConnection(database.OwnerConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT DISTINCT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'organization_id' " +
            "UNION SELECT 'organizations'",
            connection);
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    private async Task<(Organization A, Organization B)> TwoOrganizationsAsync()
    {
        var a = await TenantData.CreateOrganizationAsync(database.AppConnection, "Alpha");
        var b = await TenantData.CreateOrganizationAsync(database.AppConnection, "Beta");
        await TenantData.AddUsersAsync(database.AppConnection, a.Id, 2, i => $"Alpha {i}");
        await TenantData.AddUsersAsync(database.AppConnection, b.Id, 2, i => $"Beta {i}");
        return (a, b);
    }
}
