using Loupe.Domain.Dashboards;

namespace Loupe.Application.Dashboards;

/// <summary>
/// Which active dashboards of the current organization show an item: what an archive of a query or
/// visualization is checked against (<see cref="DashboardUse"/>). Archived dashboards do not count.
/// </summary>
public interface IDashboardUsage
{
    /// <summary>The active dashboards with a tile of the visualization, by name.</summary>
    Task<IReadOnlyList<DashboardReference>> ShowingVisualizationAsync(Guid visualizationId, CancellationToken cancellationToken);

    /// <summary>The active dashboards with a tile of any visualization (archived ones too) of the query, by name.</summary>
    Task<IReadOnlyList<DashboardReference>> ShowingQueryAsync(Guid queryId, CancellationToken cancellationToken);
}
