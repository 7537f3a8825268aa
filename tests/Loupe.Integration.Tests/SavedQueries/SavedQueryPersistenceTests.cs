using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Domain.DataSources;
using Loupe.Domain.Queries;
using Loupe.Domain.Queries.Parameters;
using Loupe.Integration.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Loupe.Integration.Tests.SavedQueries;

/// <summary>The saved query model round-trips through <c>saved_queries</c> and <c>saved_query_versions</c>.</summary>
public sealed class SavedQueryPersistenceTests(DatabaseFixture database) : ResetBeforeEachTest(database), IClassFixture<DatabaseFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly ParameterDefinition[] Parameters =
    [
        ParameterDefinition.Create("status", ParameterType.Enum, "Status", true, ParameterValue.OfText("open"), ["open", "closed"]),
        ParameterDefinition.Create("period", ParameterType.DateRange, required: false),
        ParameterDefinition.Create("limit", ParameterType.Number, defaultValue: ParameterValue.OfNumber("1e2")),
        ParameterDefinition.Create("ratio", ParameterType.Number, defaultValue: ParameterValue.OfNumber("2.50")),
    ];

    private async Task<(Guid OrganizationId, Guid OwnerId, DataSource Source)> SeedAsync()
    {
        var organization = await TenantData.CreateOrganizationAsync(database.AppConnection);
        var owner = (await TenantData.AddUsersAsync(database.AppConnection, organization.Id, 1, _ => "Owner")).Single();
        var source = DataSource.Create(
            Guid.CreateVersion7(), organization.Id, "dw", ConnectionSettings.Postgresql("h", 5432, "d", "u"), null, DataSourceLimits.Default, TenantData.Epoch);
        await using var context = TenantData.Context(database.AppConnection, organization.Id);
        context.DataSources.Add(source);
        await context.SaveChangesAsync(Ct);
        return (organization.Id, owner.Id, source);
    }

    private static SavedQuery NewQuery(Guid organizationId, Guid ownerId, DataSource source) =>
        SavedQuery.Create(
            Guid.CreateVersion7(),
            organizationId,
            ownerId,
            "Tickets",
            null,
            "SELECT * FROM tickets WHERE status = {{ status }} AND opened >= {{ period.start }} AND r > {{ ratio }} LIMIT {{ limit }}",
            Parameters,
            ["Support"],
            source,
            30,
            TenantData.Epoch);

    [Fact]
    public async Task AQuery_IsStoredWithItsFirstVersion_AndReadBack()
    {
        var (organizationId, ownerId, source) = await SeedAsync();
        var created = NewQuery(organizationId, ownerId, source);
        await using (var context = TenantData.Context(database.AppConnection, organizationId))
        {
            context.SavedQueries.Add(created);
            await context.SaveChangesAsync(Ct);
            created.RowVersion.ShouldNotBe(0u);
        }

        await using var reading = TenantData.Context(database.AppConnection, organizationId);
        var stored = await reading.SavedQueries.AsNoTracking().SingleAsync(q => q.Id == created.Id, Ct);
        var versions = await reading.SavedQueryVersions.AsNoTracking().Where(v => v.QueryId == created.Id).ToListAsync(Ct);

        stored.Parameters.ShouldBe(Parameters);
        stored.Tags.ShouldBe(["support"]);
        stored.TimeoutSeconds.ShouldBe(30);
        stored.OwnerId.ShouldBe(ownerId);
        stored.LatestVersion.ShouldBe(1);
        stored.RowVersion.ShouldBe(created.RowVersion);
        var version = versions.ShouldHaveSingleItem();
        version.Number.ShouldBe(1);
        version.Parameters.ShouldBe(Parameters);
        version.CreatedBy.ShouldBe(ownerId);
        (await ScalarAsync($"SELECT parameters->1->>'type' FROM saved_queries WHERE id = '{created.Id}'")).ShouldBe("date_range");
    }

    [Fact]
    public async Task ARevision_AddsAVersionRow_AndAStaleCopyCannotOverwriteIt()
    {
        var (organizationId, ownerId, source) = await SeedAsync();
        var created = NewQuery(organizationId, ownerId, source);
        await using (var context = TenantData.Context(database.AppConnection, organizationId))
        {
            context.SavedQueries.Add(created);
            await context.SaveChangesAsync(Ct);
        }

        await using var first = TenantData.Context(database.AppConnection, organizationId);
        await using var second = TenantData.Context(database.AppConnection, organizationId);
        var mine = await first.SavedQueries.AsTracking().SingleAsync(q => q.Id == created.Id, Ct);
        var theirs = await second.SavedQueries.AsTracking().SingleAsync(q => q.Id == created.Id, Ct);
        mine.Revise(mine.Sql + " LIMIT 10", Parameters, ownerId, TenantData.Epoch.AddHours(1));
        theirs.Revise(theirs.Sql + " LIMIT 20", Parameters, ownerId, TenantData.Epoch.AddHours(2));
        await ((IUnitOfWork)first).SaveChangesAsync(Ct);

        await Should.ThrowAsync<ConflictException>(() => ((IUnitOfWork)second).SaveChangesAsync(Ct));

        await using var reading = TenantData.Context(database.AppConnection, organizationId);
        var numbers = await reading.SavedQueryVersions.Where(v => v.QueryId == created.Id).OrderBy(v => v.Number).Select(v => v.Number).ToListAsync(Ct);
        numbers.ShouldBe([1, 2]);
        (await reading.SavedQueries.SingleAsync(q => q.Id == created.Id, Ct)).Sql.ShouldEndWith("LIMIT 10");
    }

    [Fact]
    public async Task VersionsOfAnotherOrganization_AreInvisible_EvenWithoutTheApplicationFilter()
    {
        var (organizationId, ownerId, source) = await SeedAsync();
        var (otherOrganizationId, _, _) = await SeedAsync();
        var created = NewQuery(organizationId, ownerId, source);
        await using (var context = TenantData.Context(database.AppConnection, organizationId))
        {
            context.SavedQueries.Add(created);
            await context.SaveChangesAsync(Ct);
        }

        await using var stranger = TenantData.Context(database.AppConnection, otherOrganizationId);

        (await stranger.SavedQueries.IgnoreQueryFilters().CountAsync(q => q.Id == created.Id, Ct)).ShouldBe(0);
        (await stranger.SavedQueryVersions.IgnoreQueryFilters().CountAsync(v => v.QueryId == created.Id, Ct)).ShouldBe(0);
    }

    [Fact]
    public async Task ADataSourceInUse_CannotBeDeletedEvenBehindTheApplicationsBack()
    {
        var (organizationId, ownerId, source) = await SeedAsync();
        await using (var context = TenantData.Context(database.AppConnection, organizationId))
        {
            context.SavedQueries.Add(NewQuery(organizationId, ownerId, source));
            await context.SaveChangesAsync(Ct);
        }

        await using var deleting = TenantData.Context(database.AppConnection, organizationId);
        deleting.DataSources.Remove(await deleting.DataSources.AsTracking().SingleAsync(d => d.Id == source.Id, Ct));

        await Should.ThrowAsync<ConflictException>(() => ((IUnitOfWork)deleting).SaveChangesAsync(Ct));
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(database.OwnerConnection);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(Ct);
    }
}
