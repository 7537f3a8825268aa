using System.Text.Json;
using Loupe.Application.Common;
using Loupe.Application.SavedQueries;
using Loupe.Domain.Dashboards;

namespace Loupe.Application.Dashboards;

/// <summary>
/// A dashboard as answered: its own document (tiles, parameters, mappings), <c>version</c> the
/// number of its current version (see <c>/versions</c>), <c>status</c> <c>active</c> or <c>archived</c>.
/// </summary>
public sealed record DashboardDto(
    Guid Id,
    string Name,
    string? Description,
    IReadOnlyList<string> Tags,
    IReadOnlyList<DashboardTileDto> Tiles,
    IReadOnlyList<ParameterDefinitionDto> Parameters,
    IReadOnlyList<ParameterMappingDto> ParameterMappings,
    int Version,
    string Status,
    Guid? OwnerId,
    DateTimeOffset? ArchivedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static DashboardDto From(Dashboard dashboard, IMarkdownRenderer markdown)
    {
        ArgumentNullException.ThrowIfNull(dashboard);
        return new(
            dashboard.Id,
            dashboard.Name,
            dashboard.Description,
            dashboard.Tags,
            DashboardTileDto.AllOf(dashboard.Tiles, markdown),
            [.. dashboard.Parameters.Select(ParameterDefinitionDto.From)],
            [.. dashboard.ParameterMappings.Select(ParameterMappingDto.From)],
            dashboard.LatestVersion,
            ItemStatuses.Of(dashboard.ArchivedAt),
            dashboard.OwnerId,
            dashboard.ArchivedAt,
            dashboard.CreatedAt,
            dashboard.UpdatedAt);
    }
}

/// <summary>
/// A tile as answered: a text tile has its Markdown as written (<c>text</c>) and a sanitized HTML
/// rendering of it (<c>rendered_html</c>); a visualization tile names its visualization.
/// </summary>
public sealed record DashboardTileDto(string Id, string Kind, Guid? VisualizationId, string? Text, string? RenderedHtml, int X, int Y, int W, int H)
{
    public static IReadOnlyList<DashboardTileDto> AllOf(IReadOnlyList<DashboardTile> tiles, IMarkdownRenderer markdown)
    {
        ArgumentNullException.ThrowIfNull(tiles);
        ArgumentNullException.ThrowIfNull(markdown);
        return [.. tiles.Select(tile => new DashboardTileDto(
            tile.Id,
            DashboardJson.KindName(tile.Kind),
            tile.VisualizationId,
            tile.Text,
            tile.Kind == TileKind.Text && tile.Text is not null ? markdown.ToSafeHtml(tile.Text) : null,
            tile.X,
            tile.Y,
            tile.W,
            tile.H))];
    }
}

/// <summary>
/// Gives the parameter <c>query_parameter</c> of the query behind the tile <c>tile_id</c> its value:
/// from the dashboard parameter <c>dashboard_parameter</c> (<c>source: dashboard</c>) or the fixed
/// <c>value</c> (<c>source: static</c>).
/// </summary>
public sealed record ParameterMappingDto(string TileId, string QueryParameter, string Source, string? DashboardParameter, JsonElement? Value)
{
    public static ParameterMappingDto From(ParameterMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        return new(mapping.TileId, mapping.QueryParameter, DashboardJson.SourceName(mapping.Source), mapping.DashboardParameter, ParameterJson.ToJson(mapping.Value));
    }
}

/// <summary>A dashboard in a list: everything but its tiles, parameters and mappings.</summary>
public sealed record DashboardSummaryDto(
    Guid Id,
    string Name,
    string? Description,
    IReadOnlyList<string> Tags,
    int Version,
    string Status,
    Guid? OwnerId,
    DateTimeOffset? ArchivedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>One kept state of a dashboard; <c>creator_id</c> is null once that user has left.</summary>
public sealed record DashboardVersionDto(
    int Version,
    string Name,
    string? Description,
    IReadOnlyList<string> Tags,
    IReadOnlyList<DashboardTileDto> Tiles,
    IReadOnlyList<ParameterDefinitionDto> Parameters,
    IReadOnlyList<ParameterMappingDto> ParameterMappings,
    DateTimeOffset CreatedAt,
    Guid? CreatorId)
{
    public static DashboardVersionDto From(DashboardVersion version, IMarkdownRenderer markdown)
    {
        ArgumentNullException.ThrowIfNull(version);
        return new(
            version.Number,
            version.Name,
            version.Description,
            version.Tags,
            DashboardTileDto.AllOf(version.Tiles, markdown),
            [.. version.Parameters.Select(ParameterDefinitionDto.From)],
            [.. version.ParameterMappings.Select(ParameterMappingDto.From)],
            version.CreatedAt,
            version.CreatedBy);
    }
}

/// <summary>
/// A tile as sent: <c>id</c> (chosen by the client, 1–64 ASCII letters, digits, '_' or '-'; mappings
/// name it), <c>kind</c> (<c>visualization</c> or <c>text</c>), <c>visualization_id</c> for a
/// visualization tile, <c>text</c> (Markdown) for a text tile, and its place on the 24-column grid:
/// <c>x</c>, <c>y</c> (from 0), <c>w</c>, <c>h</c> (at least 1).
/// </summary>
public sealed record TileInput(string? Id = null, string? Kind = null, Guid? VisualizationId = null, string? Text = null, int X = 0, int Y = 0, int W = 0, int H = 0);

/// <summary>
/// A mapping as sent: <c>tile_id</c>, <c>query_parameter</c>, <c>source</c> (<c>dashboard</c> or
/// <c>static</c>) and <c>dashboard_parameter</c> (from a dashboard parameter) or <c>value</c> (static).
/// </summary>
public sealed record ParameterMappingInput(
    string? TileId = null, string? QueryParameter = null, string? Source = null, string? DashboardParameter = null, JsonElement? Value = null);
