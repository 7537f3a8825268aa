using Loupe.Domain.DataSources;
using Loupe.Domain.Queries;
using Loupe.Domain.Visualizations;
using Loupe.Integration.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Loupe.Integration.Tests.Visualizations;

/// <summary>A visualization round-trips through <c>visualizations</c>: its type, typed options and tags.</summary>
public sealed class VisualizationPersistenceTests(DatabaseFixture database) : ResetBeforeEachTest(database), IClassFixture<DatabaseFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(Guid OrganizationId, Guid OwnerId, SavedQuery Query)> SeedAsync()
    {
        var organization = await TenantData.CreateOrganizationAsync(database.AppConnection);
        var owner = (await TenantData.AddUsersAsync(database.AppConnection, organization.Id, 1, _ => "Owner")).Single();
        var source = DataSource.Create(
            Guid.CreateVersion7(), organization.Id, "dw", ConnectionSettings.Postgresql("h", 5432, "d", "u"), null, DataSourceLimits.Default, TenantData.Epoch);
        var query = SavedQuery.Create(
            Guid.CreateVersion7(), organization.Id, owner.Id, "Sales", null, "SELECT day, amount FROM sales", [], null, source, null, TenantData.Epoch);
        await using var context = TenantData.Context(database.AppConnection, organization.Id);
        context.DataSources.Add(source);
        context.SavedQueries.Add(query);
        await context.SaveChangesAsync(Ct);
        return (organization.Id, owner.Id, query);
    }

    [Fact]
    public async Task AVisualization_IsStoredWithItsOptions_AndReadBackTyped()
    {
        var (organizationId, ownerId, query) = await SeedAsync();
        var options = new ChartOptions(
            VisualizationType.Bar, "day", new ValueList<ChartSeries>([new ChartSeries("amount", "Amount", YAxis.Right)]), Stacking.Normal, new NumberFormat(2, "$"), null);
        var created = Visualization.Create(Guid.CreateVersion7(), query, ownerId, " Sales by day ", null, options, ["Finance"], TenantData.Epoch);
        await using (var context = TenantData.Context(database.AppConnection, organizationId))
        {
            context.Visualizations.Add(created);
            await context.SaveChangesAsync(Ct);
            created.RowVersion.ShouldNotBe(0u);
        }

        await using var reading = TenantData.Context(database.AppConnection, organizationId);
        var stored = await reading.Visualizations.AsNoTracking().SingleAsync(v => v.Id == created.Id, Ct);

        stored.Name.ShouldBe("Sales by day");
        stored.Type.ShouldBe(VisualizationType.Bar);
        stored.Options.ShouldBe(options);
        stored.Tags.ShouldBe(["finance"]);
        stored.QueryId.ShouldBe(query.Id);
        stored.OwnerId.ShouldBe(ownerId);
        (await ScalarAsync($"SELECT type || ':' || (options->>'x_column') FROM visualizations WHERE id = '{created.Id}'")).ShouldBe("bar:day");
    }

    [Fact]
    public async Task Reconfiguring_ToAnotherType_StoresTheNewOptions()
    {
        var (organizationId, ownerId, query) = await SeedAsync();
        var created = Visualization.Create(
            Guid.CreateVersion7(), query, ownerId, "Total", null, new CounterOptions("amount", null, null), null, TenantData.Epoch);
        await using (var context = TenantData.Context(database.AppConnection, organizationId))
        {
            context.Visualizations.Add(created);
            await context.SaveChangesAsync(Ct);
        }

        var pie = new PieOptions("amount", "day");
        await using (var context = TenantData.Context(database.AppConnection, organizationId))
        {
            var loaded = await context.Visualizations.SingleAsync(v => v.Id == created.Id, Ct);
            loaded.Reconfigure(pie, TenantData.Epoch.AddMinutes(1));
            await context.SaveChangesAsync(Ct);
        }

        await using var reading = TenantData.Context(database.AppConnection, organizationId);
        var stored = await reading.Visualizations.AsNoTracking().SingleAsync(v => v.Id == created.Id, Ct);
        stored.Type.ShouldBe(VisualizationType.Pie);
        stored.Options.ShouldBe(pie);
        stored.UpdatedAt.ShouldBe(TenantData.Epoch.AddMinutes(1));
    }

    [Fact]
    public async Task AnotherOrganization_SeesNone()
    {
        var (organizationId, ownerId, query) = await SeedAsync();
        await using (var context = TenantData.Context(database.AppConnection, organizationId))
        {
            context.Visualizations.Add(Visualization.Create(
                Guid.CreateVersion7(), query, ownerId, "Total", null, new CounterOptions("amount", null, null), null, TenantData.Epoch));
            await context.SaveChangesAsync(Ct);
        }

        var other = await TenantData.CreateOrganizationAsync(database.AppConnection);
        await using var reading = TenantData.Context(database.AppConnection, other.Id);
        (await reading.Visualizations.CountAsync(Ct)).ShouldBe(0);
        (await ScalarAsync("SELECT count(*)::text FROM visualizations")).ShouldBe("1");
    }

    private async Task<string?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(database.OwnerConnection);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync(Ct))?.ToString();
    }
}
