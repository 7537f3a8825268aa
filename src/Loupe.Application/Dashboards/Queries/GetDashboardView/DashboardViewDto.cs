using System.Text.Json;
using Loupe.Application.Runs.Queries.GetRunResults;
using Loupe.Application.SavedQueries;

namespace Loupe.Application.Dashboards.Queries.GetDashboardView;

/// <summary>
/// A dashboard as a page shows it: its own document (as <see cref="DashboardDto"/> has it), the
/// values of its parameters it was read with, and every tile with what it needs to draw itself — a
/// visualization tile its visualization, a summary of its query and the first rows of that query's
/// latest result with the tile's values; a text tile its Markdown and the sanitized HTML of it.
/// Never a query's SQL nor anything of its data source.
/// </summary>
/// <param name="Version">The number of the dashboard's current version.</param>
/// <param name="Status"><c>active</c> or <c>archived</c>.</param>
/// <param name="ParameterValues">Each declared parameter's value in this answer: the one asked for (<c>p_</c> and the name in the query string), else its default, else null.</param>
public sealed record DashboardViewDto(
    Guid Id,
    string Name,
    string? Description,
    IReadOnlyList<string> Tags,
    IReadOnlyList<DashboardTileViewDto> Tiles,
    IReadOnlyList<ParameterDefinitionDto> Parameters,
    IReadOnlyList<ParameterMappingDto> ParameterMappings,
    int Version,
    string Status,
    Guid? OwnerId,
    DateTimeOffset? ArchivedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyDictionary<string, JsonElement?> ParameterValues);

/// <summary>One tile on the 24-column grid (as <see cref="DashboardTileDto"/> has it) with what it shows.</summary>
/// <param name="Kind"><c>visualization</c> or <c>text</c>.</param>
/// <param name="Text">A text tile's Markdown as written.</param>
/// <param name="RenderedHtml">A text tile's Markdown rendered to sanitized HTML (no scripts, no event handlers, no javascript: links).</param>
/// <param name="Visualization">A visualization tile's visualization; null for a text tile, or when the visualization is gone.</param>
/// <param name="Query">A summary of the visualization's query and the values this tile runs it with.</param>
/// <param name="Result">The first rows of the latest result of the query with this tile's values; null when there is none yet (refresh the dashboard).</param>
/// <param name="Problems">Why the tile cannot show a result: its query's parameters cannot be bound with the values it is given, or its visualization is gone.</param>
public sealed record DashboardTileViewDto(
    string Id,
    string Kind,
    Guid? VisualizationId,
    string? Text,
    string? RenderedHtml,
    int X,
    int Y,
    int W,
    int H,
    TileVisualizationDto? Visualization,
    TileQueryDto? Query,
    TileResultDto? Result,
    IReadOnlyList<TileProblemDto> Problems);

/// <summary>A tile's visualization; <c>warnings</c> name the settings that refer to a column the latest result does not have.</summary>
/// <param name="Type">The visualization type (table, line, bar, area, pie, scatter, counter, pivot).</param>
/// <param name="Options">The type's options as stored.</param>
public sealed record TileVisualizationDto(
    Guid Id, string Name, string? Description, string Type, JsonElement Options, IReadOnlyList<ColumnWarningDto> Warnings);

/// <summary>A setting of a visualization naming a column that the result it is drawn from does not have (the query changed since).</summary>
/// <param name="Field">Where the setting is, e.g. <c>options.series[1].column</c>.</param>
public sealed record ColumnWarningDto(string Field, string Column, string Message);

/// <summary>What a tile shows of its query: never its SQL.</summary>
/// <param name="ParameterValues">The values the tile runs the query with, by query parameter (mapped, static or the query's default).</param>
/// <param name="Archived">The query is archived: its latest result is still shown, refreshing skips it.</param>
public sealed record TileQueryDto(
    Guid Id, string Name, IReadOnlyList<ParameterDefinitionDto> Parameters, IReadOnlyDictionary<string, JsonElement?> ParameterValues, bool Archived);

/// <summary>The first rows of a tile's latest result.</summary>
/// <param name="RunId">The run that stored it; its full result is at /runs/{run_id}/results.</param>
/// <param name="Data">Rows 1 to at most Dashboards:TileRows, cells as /runs/{id}/results gives them.</param>
/// <param name="TotalRows">Every row the run stored; more than data holds when the tile shows a first page.</param>
/// <param name="Truncated">The run's result was cut by the run's row or byte limit.</param>
/// <param name="CellsTruncated">How many cells of data are {"truncated": true, …} objects.</param>
public sealed record TileResultDto(
    Guid RunId, DateTimeOffset FinishedAt, IReadOnlyList<ResultColumnDto> Columns, IReadOnlyList<object?[]> Data, long TotalRows, bool Truncated, int CellsTruncated);

/// <summary>Why a tile shows no result.</summary>
/// <param name="Field">The query parameter concerned, as <c>parameters.</c> and its name, when there is one.</param>
public sealed record TileProblemDto(string Code, string? Field, string Message);
