using System.Data.Common;
using Loupe.Application.Canvases;
using Loupe.Domain.Canvases;
using Loupe.Domain.DataSources;
using Loupe.Domain.Queries;
using Loupe.Domain.Visualizations;
using Loupe.Infrastructure.Persistence;
using Loupe.Integration.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Loupe.Integration.Tests.Canvases;

/// <summary>A canvas round-trips through <c>canvases</c>: its time preset, and its nodes and edges exactly as they were written.</summary>
public sealed class CanvasPersistenceTests(DatabaseFixture database) : ResetBeforeEachTest(database), IClassFixture<DatabaseFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(Guid OrganizationId, SavedQuery Query, Visualization Visualization)> SeedAsync()
    {
        var organization = await TenantData.CreateOrganizationAsync(database.AppConnection);
        var owner = (await TenantData.AddUsersAsync(database.AppConnection, organization.Id, 1, _ => "Owner")).Single();
        var source = DataSource.Create(
            Guid.CreateVersion7(), organization.Id, "dw", ConnectionSettings.Postgresql("h", 5432, "d", "u"), null, DataSourceLimits.Default, TenantData.Epoch);
        var query = SavedQuery.Create(
            Guid.CreateVersion7(), organization.Id, owner.Id, "Sales", null, "SELECT day, amount FROM sales", [], null, source, null, TenantData.Epoch);
        var visualization = Visualization.Create(Guid.CreateVersion7(), query, owner.Id, "Total", null, new CounterOptions("amount", null, null), null, TenantData.Epoch);
        await using var context = TenantData.Context(database.AppConnection, organization.Id);
        context.DataSources.Add(source);
        context.SavedQueries.Add(query);
        context.Visualizations.Add(visualization);
        await context.SaveChangesAsync(Ct);
        return (organization.Id, query, visualization);
    }

    [Fact]
    public async Task ACanvas_IsStoredWithItsPresetAndGraph_AndReadBackUnchanged()
    {
        var (organizationId, query, visualization) = await SeedAsync();
        var preset = CanvasTimePreset.Custom(TenantData.Epoch, TenantData.Epoch.AddDays(3));
        var canvas = Canvas.Create(Guid.CreateVersion7(), organizationId, "Flow", "How sales move", preset, TenantData.Epoch);
        CanvasNode[] nodes =
        [
            new("q", CanvasNodeType.Query, query.Id, new CanvasPosition(-0.1, 1e300), new CanvasSize(1, 2.5), """{ "z": 1, "a": [1.50, "é"] }"""),
            new("v", CanvasNodeType.Visualization, visualization.Id, new CanvasPosition(10, 20), new CanvasSize(300, 200), "{}"),
            new("t", CanvasNodeType.Text, null, new CanvasPosition(0, 0), new CanvasSize(1, 1), """{"markdown":"# Notes"}"""),
        ];
        CanvasEdge[] edges = [new("e1", "q", "v", "draws"), new("e2", "v", "q", null)];
        canvas.ReplaceGraph(nodes, edges, TenantData.Epoch.AddMinutes(1));
        await using (var context = TenantData.Context(database.AppConnection, organizationId))
        {
            context.Canvases.Add(canvas);
            await context.SaveChangesAsync(Ct);
            canvas.RowVersion.ShouldNotBe(0u);
        }

        await using var reading = TenantData.Context(database.AppConnection, organizationId);
        var stored = await reading.Canvases.AsNoTracking().SingleAsync(c => c.Id == canvas.Id, Ct);

        stored.Name.ShouldBe("Flow");
        stored.TimePreset.ShouldBe(preset);
        stored.Nodes.ShouldBe(nodes);
        stored.Edges.ShouldBe(edges);
        stored.RowVersion.ShouldBe(canvas.RowVersion);
        (await ScalarAsync($"SELECT time_preset || ':' || (nodes->0->>'ref_id') || ':' || (nodes->0->>'config') FROM canvases WHERE id = '{canvas.Id}'"))
            .ShouldBe($"custom:{query.Id}:{nodes[0].Config}");
    }

    [Fact]
    public async Task ChangingThePreset_AndReplacingTheGraph_AreSaved()
    {
        var (organizationId, query, _) = await SeedAsync();
        var canvas = Canvas.Create(Guid.CreateVersion7(), organizationId, "Flow", null, CanvasTimePreset.Custom(TenantData.Epoch, TenantData.Epoch.AddDays(1)), TenantData.Epoch);
        canvas.ReplaceGraph([new("a", CanvasNodeType.Query, query.Id, new(0, 0), new(1, 1), "{}")], [], TenantData.Epoch);
        await using (var context = TenantData.Context(database.AppConnection, organizationId))
        {
            context.Canvases.Add(canvas);
            await context.SaveChangesAsync(Ct);
        }

        await using (var context = TenantData.Context(database.AppConnection, organizationId))
        {
            var loaded = await context.Canvases.SingleAsync(c => c.Id == canvas.Id, Ct);
            loaded.ChangeTimePreset(CanvasTimePreset.Relative(TimePresetKind.ThisMonth), TenantData.Epoch.AddMinutes(1));
            loaded.ReplaceGraph([], [], TenantData.Epoch.AddMinutes(1));
            await context.SaveChangesAsync(Ct);
        }

        await using var reading = TenantData.Context(database.AppConnection, organizationId);
        var stored = await reading.Canvases.AsNoTracking().SingleAsync(c => c.Id == canvas.Id, Ct);
        stored.TimePreset.ShouldBe(CanvasTimePreset.Relative(TimePresetKind.ThisMonth));
        stored.Nodes.ShouldBeEmpty();
        (await ScalarAsync($"SELECT coalesce(time_start::text, 'none') FROM canvases WHERE id = '{canvas.Id}'")).ShouldBe("none");
    }

    [Fact]
    public async Task TheTable_RefusesAPresetWithoutItsWindow()
    {
        var (organizationId, _, _) = await SeedAsync();
        await using var connection = new NpgsqlConnection(database.OwnerConnection);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(
            "INSERT INTO canvases (id, organization_id, name, time_preset, nodes, edges, created_at, updated_at) "
            + $"VALUES (gen_random_uuid(), '{organizationId}', 'x', 'custom', '[]', '[]', now(), now())",
            connection);

        (await Should.ThrowAsync<PostgresException>(() => command.ExecuteNonQueryAsync(Ct))).ConstraintName.ShouldBe("ck_canvases_time_preset");
    }

    [Fact]
    public async Task EveryReference_IsCheckedInOneQueryPerNodeType_WhateverTheNodeCount()
    {
        var (organizationId, query, visualization) = await SeedAsync();
        var nodes = Enumerable.Range(0, CanvasGraph.MaxNodes)
            .Select(i => (CanvasNodeInput?)new CanvasNodeInput(
                $"n{i}",
                i % 2 == 0 ? "query" : "visualization",
                i % 50 == 7 ? Guid.CreateVersion7() : i % 2 == 0 ? query.Id : visualization.Id,
                new CanvasPositionInput(i, i),
                new CanvasSizeInput(10, 10)))
            .ToList();
        var counter = new CommandCounter();
        await using var context = new LoupeDbContext(
            new DbContextOptionsBuilder<LoupeDbContext>()
                .UseNpgsql(database.AppConnection)
                .AddInterceptors(new Infrastructure.Tenancy.TenantCommandInterceptor(new FixedTenant(organizationId)), counter)
                .Options,
            new FixedTenant(organizationId));

        var refused = await Should.ThrowAsync<Application.Common.Exceptions.ValidationFailedException>(
            () => CanvasInput.GraphAsync(nodes, [], new ReadStore(context), new QueryExecutor(), Ct));

        refused.Errors.Keys.ShouldBe(["nodes[7].ref_id", "nodes[57].ref_id", "nodes[107].ref_id", "nodes[157].ref_id"], ignoreOrder: true);
        refused.Code.ShouldBe("canvas.ref_not_found");
        counter.Count.ShouldBe(2);
    }

    private async Task<string?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(database.OwnerConnection);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync(Ct))?.ToString();
    }

    private sealed class CommandCounter : DbCommandInterceptor
    {
        public int Count { get; private set; }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Count++;
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
