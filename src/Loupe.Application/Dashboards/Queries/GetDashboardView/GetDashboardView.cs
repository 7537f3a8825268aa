using System.Security.Cryptography;
using System.Text.Json;
using Loupe.Application.Common;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Results;
using Loupe.Application.Common.Security;
using Loupe.Application.Runs.Queries.GetRunResults;
using Loupe.Application.SavedQueries;
using Loupe.Domain.Dashboards;
using Loupe.Domain.Visualizations;
using MediatR;

namespace Loupe.Application.Dashboards.Queries.GetDashboardView;

/// <summary>
/// A dashboard with everything its tiles show (<see cref="DashboardViewDto"/>), for the dashboard
/// parameter values of the query string (<c>p_&lt;name&gt;</c>), archived or not. Served from the
/// cache when it holds the answer (<see cref="IDashboardViewCache"/>); otherwise read with a fixed
/// number of statements whatever the number of tiles — the dashboard, its visualizations with their
/// queries, the latest result of each tile's question, and those results' first rows — then kept.
/// </summary>
[Authorize]
public sealed record GetDashboardViewQuery(Guid Id, IReadOnlyDictionary<string, string?> Query) : IRequest<DashboardView>
{
    /// <summary>Never the parameter values.</summary>
    public override string ToString() => $"GetDashboardViewQuery {{ Id = {Id} }}";
}

internal sealed class GetDashboardViewQueryHandler(
    ICurrentUser caller,
    IDashboardViewCache cache,
    IReadStore store,
    IQueryExecutor executor,
    IResultPreviews previews,
    IMarkdownRenderer markdown,
    IWireJson wire,
    DashboardSettings settings) : IRequestHandler<GetDashboardViewQuery, DashboardView>
{
    public async Task<DashboardView> Handle(GetDashboardViewQuery request, CancellationToken cancellationToken)
    {
        var organizationId = caller.OrganizationId ?? throw new InvalidOperationException("A dashboard is read in an organization.");
        var key = new DashboardViewKey(organizationId, request.Id, CanonicalValues(request.Query));
        if (cache.TryGet(key, out var cached))
        {
            return cached;
        }

        var ticket = cache.Begin();
        var dashboard = await executor.FirstOrDefaultAsync(store.Query<Dashboard>().Where(d => d.Id == request.Id), cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Dashboard", request.Id);
        var given = DashboardParameterValues.FromQueryString(dashboard.Parameters, request.Query);
        var values = DashboardParameterValues.Resolve(dashboard.Parameters, given, name => DashboardParameterValues.QueryPrefix + name);

        var sources = await DashboardTileQueries.SourcesAsync(store, executor, dashboard.VisualizationIds, cancellationToken).ConfigureAwait(false);
        var tiles = DashboardTileQueries.Bind(dashboard, values, sources);
        var latest = await DashboardTileQueries.LatestResultsAsync(store, executor, tiles, cancellationToken).ConfigureAwait(false);
        var pages = latest.Count == 0
            ? new Dictionary<Guid, ResultPage>()
            : await previews.ReadFirstRowsAsync([.. latest.Values.Select(r => new StoredAttempt(r.RunId, r.Attempt))], settings.TileRows, cancellationToken).ConfigureAwait(false);

        var byTile = tiles.ToDictionary(t => t.Tile.Id, StringComparer.Ordinal);
        var dto = new DashboardViewDto(
            dashboard.Id,
            dashboard.Name,
            dashboard.Description,
            dashboard.Tags,
            [.. dashboard.Tiles.Select(tile => Tile(tile, byTile.GetValueOrDefault(tile.Id), latest, pages))],
            [.. dashboard.Parameters.Select(ParameterDefinitionDto.From)],
            [.. dashboard.ParameterMappings.Select(ParameterMappingDto.From)],
            dashboard.LatestVersion,
            ItemStatuses.Of(dashboard.ArchivedAt),
            dashboard.OwnerId,
            dashboard.ArchivedAt,
            dashboard.CreatedAt,
            dashboard.UpdatedAt,
            ToJson(values));

        var json = wire.SerializeToUtf8Bytes(dto);
        var view = new DashboardView(json, EntityTagOf(dashboard.RowVersion, json));
        cache.Keep(ticket, key, view, new DashboardDependencies(dashboard.Id, dashboard.VisualizationIds, [.. sources.Values.Select(s => s.Query.Id).Distinct()]));
        return view;
    }

    /// <summary>
    /// The answer's tag: the dashboard's row version (what <c>If-Match</c> of a change compares), then
    /// a digest of the answer (what <c>If-None-Match</c> compares), so a tile's newer result changes it too.
    /// </summary>
    internal static string EntityTagOf(uint rowVersion, ReadOnlySpan<byte> json) =>
        $"\"{rowVersion}-{Convert.ToBase64String(SHA256.HashData(json)[..12]).TrimEnd('=').Replace('+', '-').Replace('/', '_')}\"";

    /// <summary>The <c>p_</c> entries of the query string, sorted, as one text: the cache key's part.</summary>
    internal static string CanonicalValues(IReadOnlyDictionary<string, string?> query) =>
        JsonSerializer.Serialize(query
            .Where(pair => pair.Key.StartsWith(DashboardParameterValues.QueryPrefix, StringComparison.Ordinal))
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => new[] { pair.Key, pair.Value }));

    private DashboardTileViewDto Tile(
        DashboardTile tile, TileQuery? query, Dictionary<(Guid QueryId, string CacheKey), LatestResult> latest, IReadOnlyDictionary<Guid, ResultPage> pages)
    {
        if (tile.Kind == TileKind.Text)
        {
            var text = tile.Text ?? string.Empty;
            return new DashboardTileViewDto(tile.Id, DashboardJson.KindName(tile.Kind), null, text, markdown.ToSafeHtml(text), tile.X, tile.Y, tile.W, tile.H, null, null, null, []);
        }

        if (query is null)
        {
            return new DashboardTileViewDto(
                tile.Id, DashboardJson.KindName(tile.Kind), tile.VisualizationId, null, null, tile.X, tile.Y, tile.W, tile.H, null, null, null, [Gone]);
        }

        var (visualization, savedQuery) = (query.Source.Visualization, query.Source.Query);
        TileResultDto? result = null;
        IReadOnlyList<ColumnReference> stale = [];
        if (query.CacheKey is { } cacheKey && latest.TryGetValue((savedQuery.Id, cacheKey), out var run) && pages.TryGetValue(run.RunId, out var page))
        {
            result = new TileResultDto(
                run.RunId,
                run.FinishedAt,
                [.. page.Columns.Select(c => new ResultColumnDto(c.Name, c.TypeName))],
                page.Rows,
                page.TotalRows,
                run.Truncated,
                page.CellsTruncated);
            stale = ColumnReferences.Missing(visualization.Options, page.Columns.Select(c => c.Name));
        }

        using var options = JsonDocument.Parse(visualization.Options.ToJson());
        return new DashboardTileViewDto(
            tile.Id,
            DashboardJson.KindName(tile.Kind),
            tile.VisualizationId,
            null,
            null,
            tile.X,
            tile.Y,
            tile.W,
            tile.H,
            new TileVisualizationDto(
                visualization.Id,
                visualization.Name,
                visualization.Description,
                visualization.Type.WireName(),
                options.RootElement.Clone(),
                [.. stale.Select(s => new ColumnWarningDto(s.Path, s.Column, $"The latest result has no column '{s.Column}'."))]),
            new TileQueryDto(savedQuery.Id, savedQuery.Name, [.. savedQuery.Parameters.Select(ParameterDefinitionDto.From)], ToJson(query.Values), savedQuery.IsArchived),
            result,
            [.. query.Problems.Select(p => new TileProblemDto(p.Code, p.Field, p.Message))]);
    }

    private static readonly TileProblemDto Gone = new(
        DashboardErrors.VisualizationNotFound("visualization_id").Code, "visualization_id", "The tile's visualization no longer exists.");

    private static Dictionary<string, JsonElement?> ToJson(IReadOnlyDictionary<string, Domain.Queries.Parameters.ParameterValue?> values) =>
        values.ToDictionary(pair => pair.Key, pair => ParameterJson.ToJson(pair.Value), StringComparer.Ordinal);
}
