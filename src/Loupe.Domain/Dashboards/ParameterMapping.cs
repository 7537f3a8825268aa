using Loupe.Domain.Queries.Parameters;

namespace Loupe.Domain.Dashboards;

/// <summary>Where a mapped query parameter takes its value from.</summary>
public enum MappingSource
{
    /// <summary>From a parameter the dashboard declares: one value drives every tile mapped onto it.</summary>
    Dashboard,

    /// <summary>A fixed value, the same on every view of the dashboard.</summary>
    Static,
}

/// <summary>
/// Gives the parameter <see cref="QueryParameter"/> of the query behind the tile
/// <see cref="TileId"/> its value: the dashboard parameter <see cref="DashboardParameter"/>, or the
/// static <see cref="Value"/>. A query parameter that no mapping names keeps its own default.
/// </summary>
public sealed record ParameterMapping(string TileId, string QueryParameter, MappingSource Source, string? DashboardParameter, ParameterValue? Value)
{
    public static ParameterMapping FromDashboard(string tileId, string queryParameter, string dashboardParameter) =>
        new(tileId, queryParameter, MappingSource.Dashboard, dashboardParameter, null);

    public static ParameterMapping Fixed(string tileId, string queryParameter, ParameterValue value) =>
        new(tileId, queryParameter, MappingSource.Static, null, value);
}
