using System.Security.Cryptography;
using System.Text.Json;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Results;
using Loupe.Application.Common.Security;
using Loupe.Application.Dashboards.Commands.CreateDashboardShare;
using Loupe.Application.Runs.Queries.GetRunResults;
using Loupe.Application.SavedQueries;
using Loupe.Domain.Common;
using Loupe.Domain.Dashboards;
using Loupe.Domain.Queries.Parameters;
using Loupe.Domain.Visualizations;
using MediatR;

namespace Loupe.Application.Dashboards.Queries.GetPublicDashboard;

/// <summary>
/// The dashboard a share link shows, read by whoever holds its token, with no account
/// (<see cref="PublicDashboardDto"/>). The token names the organization; the read then runs in it,
/// as a signed-in member's would, and sees nothing of any other. The link's locked values are used,
/// every other parameter takes the dashboard's default; the holder chooses none. An unknown token, a
/// revoked link, an expiry passed and an archived dashboard are the same 404
/// (<c>dashboard_share.not_found</c>), checked on every request. Tiles are read the way a member's
/// dashboard read reads them (<see cref="DashboardTileQueries"/>, <see cref="IResultPreviews"/>) and
/// the answer is kept in the same cache of answers, under the values it was read with.
/// </summary>
[AllowAnonymous]
public sealed record GetPublicDashboardQuery(string? Token) : IRequest<DashboardView>
{
    /// <summary>Never the token: it is a credential.</summary>
    public override string ToString() => nameof(GetPublicDashboardQuery);
}

internal sealed class GetPublicDashboardQueryHandler(
    ICredentialLocator locator,
    ITenantScope tenant,
    IOpaqueTokens opaqueTokens,
    IDashboardViewCache cache,
    IReadStore store,
    IQueryExecutor executor,
    IResultPreviews previews,
    IMarkdownRenderer markdown,
    IWireJson wire,
    DashboardSettings settings,
    TimeProvider clock) : IRequestHandler<GetPublicDashboardQuery, DashboardView>
{
    /// <summary>Longer than any token Loupe issues; a longer one is not looked up at all.</summary>
    private const int TokenMaxLength = 200;

    /// <summary>Starts the cache key's values part of a public answer, which a member's answer's (a JSON array) never starts with.</summary>
    private const string PublicKeyPrefix = "public:";

    public async Task<DashboardView> Handle(GetPublicDashboardQuery request, CancellationToken cancellationToken)
    {
        var token = request.Token?.Trim();
        if (string.IsNullOrEmpty(token) || token.Length > TokenMaxLength
            || !token.StartsWith(CreateDashboardShareCommandHandler.TokenPrefix + "_", StringComparison.Ordinal))
        {
            throw new DomainException(DashboardShareErrors.LinkNotFound);
        }

        var located = await locator.DashboardShareByTokenHashAsync(opaqueTokens.HashOf(token), cancellationToken).ConfigureAwait(false)
            ?? throw new DomainException(DashboardShareErrors.LinkNotFound);
        tenant.Enter(located.OrganizationId);

        var ticket = cache.Begin();
        var found = await executor.FirstOrDefaultAsync(
            from share in store.Query<DashboardShare>()
            where share.Id == located.Id
            join board in store.Query<Dashboard>() on share.DashboardId equals board.Id
            select new { share, board },
            cancellationToken).ConfigureAwait(false);
        if (found is null || !found.share.IsLiveAt(clock.GetUtcNow()) || found.board.IsArchived)
        {
            throw new DomainException(DashboardShareErrors.LinkNotFound);
        }

        var dashboard = found.board;
        var values = LockedValues(dashboard, found.share);
        var key = new DashboardViewKey(located.OrganizationId, dashboard.Id, PublicKeyPrefix + Canonical(values));
        if (cache.TryGet(key, out var cached))
        {
            return cached;
        }

        var sources = await DashboardTileQueries.SourcesAsync(store, executor, dashboard.VisualizationIds, cancellationToken).ConfigureAwait(false);
        var tiles = DashboardTileQueries.Bind(dashboard, values, sources);
        var latest = await DashboardTileQueries.LatestResultsAsync(store, executor, tiles, cancellationToken).ConfigureAwait(false);
        var pages = latest.Count == 0
            ? new Dictionary<Guid, ResultPage>()
            : await previews.ReadFirstRowsAsync([.. latest.Values.Select(r => new StoredAttempt(r.RunId, r.Attempt))], settings.TileRows, cancellationToken).ConfigureAwait(false);

        var byTile = tiles.ToDictionary(t => t.Tile.Id, StringComparer.Ordinal);
        var dto = new PublicDashboardDto(
            dashboard.Name,
            dashboard.Description,
            dashboard.UpdatedAt,
            values.ToDictionary(pair => pair.Key, pair => ParameterJson.ToJson(pair.Value), StringComparer.Ordinal),
            [.. dashboard.Tiles.Select(tile => Tile(tile, byTile.GetValueOrDefault(tile.Id), latest, pages))]);

        var json = wire.SerializeToUtf8Bytes(dto);
        var view = new DashboardView(json, $"\"{Convert.ToBase64String(SHA256.HashData(json)[..12]).TrimEnd('=').Replace('+', '-').Replace('/', '_')}\"");
        cache.Keep(ticket, key, view, new DashboardDependencies(dashboard.Id, dashboard.VisualizationIds, [.. sources.Values.Select(s => s.Query.Id).Distinct()]));
        return view;
    }

    /// <summary>
    /// The dashboard's values under the link: each locked value of a parameter the dashboard still
    /// declares, every other parameter its default. A locked value the parameter no longer accepts (its
    /// type changed since) makes the link show nothing rather than other values than the locked ones.
    /// </summary>
    private static Dictionary<string, ParameterValue?> LockedValues(Dashboard dashboard, DashboardShare share)
    {
        var given = share.LockedValues
            .Where(pair => dashboard.Parameters.Any(p => p.Name == pair.Key))
            .ToDictionary(pair => pair.Key, pair => (ParameterValue?)pair.Value, StringComparer.Ordinal);
        try
        {
            return DashboardParameterValues.Resolve(dashboard.Parameters, given, name => name);
        }
        catch (DomainException)
        {
            throw new DomainException(DashboardShareErrors.LinkNotFound);
        }
    }

    private static string Canonical(IReadOnlyDictionary<string, ParameterValue?> values) =>
        JsonSerializer.Serialize(values
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => new object?[] { pair.Key, ParameterJson.ToJson(pair.Value) }));

    private PublicTileDto Tile(
        DashboardTile tile, TileQuery? query, Dictionary<(Guid QueryId, string CacheKey), LatestResult> latest, IReadOnlyDictionary<Guid, ResultPage> pages)
    {
        if (tile.Kind == TileKind.Text)
        {
            return new PublicTileDto(tile.Id, tile.Kind, tile.X, tile.Y, tile.W, tile.H, markdown.ToSafeHtml(tile.Text ?? string.Empty), null, null);
        }

        if (query is null)
        {
            return new PublicTileDto(tile.Id, tile.Kind, tile.X, tile.Y, tile.W, tile.H, null, null, null);
        }

        PublicResultDto? result = null;
        if (query.CacheKey is { } cacheKey && latest.TryGetValue((query.Source.Query.Id, cacheKey), out var run) && pages.TryGetValue(run.RunId, out var page))
        {
            result = new PublicResultDto(
                run.FinishedAt,
                [.. page.Columns.Select(c => new ResultColumnDto(c.Name, c.TypeName))],
                page.Rows,
                page.TotalRows,
                run.Truncated,
                page.CellsTruncated);
        }

        var visualization = query.Source.Visualization;
        using var options = JsonDocument.Parse(visualization.Options.ToJson());
        return new PublicTileDto(
            tile.Id,
            tile.Kind,
            tile.X,
            tile.Y,
            tile.W,
            tile.H,
            null,
            new PublicVisualizationDto(visualization.Type.WireName(), visualization.Name, options.RootElement.Clone()),
            result);
    }
}
