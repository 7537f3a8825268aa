using Loupe.Application.Dashboards;
using Loupe.Domain.Dashboards;
using Loupe.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Loupe.Infrastructure.Dashboards;

/// <summary>
/// Finds the active dashboards whose tiles (<c>jsonb</c>, each visualization tile with its
/// <c>visualization_id</c>) show an item, in one statement, in the current organization (the
/// dashboards' tenant filter and row-level security both apply).
/// </summary>
internal sealed class DashboardUsage(LoupeDbContext context) : IDashboardUsage
{
    public Task<IReadOnlyList<DashboardReference>> ShowingVisualizationAsync(Guid visualizationId, CancellationToken cancellationToken) =>
        ReadAsync(
            context.Dashboards.FromSql($"""
                SELECT d.* FROM dashboards d
                WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(d.tiles) AS t(tile)
                              WHERE t.tile ->> 'visualization_id' = {visualizationId.ToString()})
                """),
            cancellationToken);

    public Task<IReadOnlyList<DashboardReference>> ShowingQueryAsync(Guid queryId, CancellationToken cancellationToken) =>
        ReadAsync(
            context.Dashboards.FromSql($"""
                SELECT d.* FROM dashboards d
                WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(d.tiles) AS t(tile)
                              JOIN visualizations v ON v.id::text = t.tile ->> 'visualization_id'
                              WHERE v.query_id = {queryId})
                """),
            cancellationToken);

    private static async Task<IReadOnlyList<DashboardReference>> ReadAsync(IQueryable<Dashboard> showing, CancellationToken cancellationToken) =>
        await showing.AsNoTracking()
            .Where(d => d.ArchivedAt == null)
            .OrderBy(d => d.Name).ThenBy(d => d.Id)
            .Select(d => new DashboardReference(d.Id, d.Name))
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
}
