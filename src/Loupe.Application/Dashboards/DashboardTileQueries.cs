using Loupe.Application.Common.Persistence;
using Loupe.Application.Runs;
using Loupe.Domain.Common;
using Loupe.Domain.Dashboards;
using Loupe.Domain.Queries;
using Loupe.Domain.Queries.Parameters;
using Loupe.Domain.Runs;
using Loupe.Domain.Visualizations;

namespace Loupe.Application.Dashboards;

/// <summary>A visualization a tile shows and the saved query it draws.</summary>
internal sealed record TileSource(Visualization Visualization, SavedQuery Query);

/// <summary>
/// What one visualization tile runs: its query bound to the values the dashboard gives it (its
/// mappings: a dashboard parameter's value, or a static value; other parameters keep the query's
/// defaults), and the cache key of that question; or why it cannot be bound.
/// </summary>
internal sealed record TileQuery(
    DashboardTile Tile,
    TileSource Source,
    IReadOnlyDictionary<string, ParameterValue?> Values,
    RunBinding.Bound? Bound,
    string? CacheKey,
    IReadOnlyList<DomainError> Problems);

/// <summary>The latest readable result of a query with one set of values.</summary>
internal sealed record LatestResult(Guid RunId, Guid QueryId, string CacheKey, int Attempt, DateTimeOffset FinishedAt, bool Truncated);

/// <summary>
/// The reads that a dashboard answer and a dashboard refresh share, each one statement whatever
/// the number of tiles: the tiles' visualizations with their queries, and the latest result of each
/// tile's question.
/// </summary>
internal static class DashboardTileQueries
{
    /// <summary>The visualizations of the organization among <paramref name="visualizationIds"/>, each with its query (one statement).</summary>
    public static async Task<Dictionary<Guid, TileSource>> SourcesAsync(
        IReadStore store, IQueryExecutor executor, IReadOnlySet<Guid> visualizationIds, CancellationToken ct)
    {
        if (visualizationIds.Count == 0)
        {
            return [];
        }

        Guid[] ids = [.. visualizationIds];
        var rows = await executor.ToListAsync(
            from visualization in store.Query<Visualization>()
            where ids.Contains(visualization.Id)
            join query in store.Query<SavedQuery>() on visualization.QueryId equals query.Id
            select new { visualization, query },
            ct).ConfigureAwait(false);
        return rows.ToDictionary(row => row.visualization.Id, row => new TileSource(row.visualization, row.query));
    }

    /// <summary>Every visualization tile whose visualization was found, bound to the values the dashboard gives it.</summary>
    /// <param name="values">The dashboard's parameter values (given or default; null: none).</param>
    public static IReadOnlyList<TileQuery> Bind(
        Dashboard dashboard, IReadOnlyDictionary<string, ParameterValue?> values, IReadOnlyDictionary<Guid, TileSource> sources)
    {
        var tiles = new List<TileQuery>();
        foreach (var tile in dashboard.Tiles)
        {
            if (tile is not { Kind: TileKind.Visualization, VisualizationId: { } visualizationId } || !sources.TryGetValue(visualizationId, out var source))
            {
                continue;
            }

            var given = new Dictionary<string, ParameterValue?>(StringComparer.Ordinal);
            foreach (var mapping in dashboard.ParameterMappings.Where(m => m.TileId == tile.Id))
            {
                var value = mapping.Source == MappingSource.Static
                    ? mapping.Value
                    : values.GetValueOrDefault(mapping.DashboardParameter ?? string.Empty);
                if (value is not null && source.Query.Parameters.Any(p => p.Name == mapping.QueryParameter))
                {
                    given[mapping.QueryParameter] = value;
                }
            }

            tiles.Add(RunBinding.TryBind(source.Query.Sql, source.Query.Parameters, given, out var bound, out var problems)
                ? new TileQuery(tile, source, bound.Query.Named, bound, RunBinding.CacheKeyOf(source.Query.DataSourceId, bound), [])
                : new TileQuery(tile, source, given, null, null, problems));
        }

        return tiles;
    }

    /// <summary>The latest readable result of each bound tile's question (its query with its values), in one statement.</summary>
    public static async Task<Dictionary<(Guid QueryId, string CacheKey), LatestResult>> LatestResultsAsync(
        IReadStore store, IQueryExecutor executor, IReadOnlyList<TileQuery> tiles, CancellationToken ct)
    {
        string[] keys = [.. tiles.Where(t => t.CacheKey is not null).Select(t => t.CacheKey!).Distinct(StringComparer.Ordinal)];
        if (keys.Length == 0)
        {
            return [];
        }

        Guid?[] queryIds = [.. tiles.Where(t => t.CacheKey is not null).Select(t => (Guid?)t.Source.Query.Id).Distinct()];
        var latest = await executor.ToListAsync(
            store.Query<QueryRun>()
                .Where(r => keys.Contains(r.CacheKey) && queryIds.Contains(r.SavedQueryId)
                    && r.Status == RunStatus.Succeeded && !r.ResultExpired && r.ResultAttempt != null)
                .GroupBy(r => new { r.SavedQueryId, r.CacheKey })
                .Select(g => g
                    .OrderByDescending(r => r.FinishedAt)
                    .ThenByDescending(r => r.Id)
                    .Select(r => new LatestResult(r.Id, r.SavedQueryId!.Value, r.CacheKey, r.ResultAttempt!.Value, r.FinishedAt!.Value, r.Truncated ?? false))
                    .First()),
            ct).ConfigureAwait(false);
        return latest.ToDictionary(r => (r.QueryId, r.CacheKey));
    }
}
