using System.Text.Json;
using Loupe.Application.Runs.Queries.GetRunResults;
using Loupe.Domain.Dashboards;

namespace Loupe.Application.Dashboards.Queries.GetPublicDashboard;

/// <summary>
/// A dashboard as a share link shows it to someone without an account: its name, the parameter
/// values it is shown with, and its tiles with what they draw. Nothing in it leads elsewhere — no id
/// of the dashboard, its visualizations, queries, runs, owner or organization, no SQL, nothing of a
/// data source.
/// </summary>
/// <param name="ParameterValues">Each dashboard parameter's value in this answer: the one the link locks, else the dashboard's default, else null.</param>
public sealed record PublicDashboardDto(
    string Name,
    string? Description,
    DateTimeOffset UpdatedAt,
    IReadOnlyDictionary<string, JsonElement?> ParameterValues,
    IReadOnlyList<PublicTileDto> Tiles);

/// <summary>A tile on the 24-column grid: its id (the dashboard's own name for it), its place, and what it shows.</summary>
/// <param name="Html">A text tile's Markdown rendered to sanitized HTML (no scripts, no event handlers, no javascript: links).</param>
/// <param name="Visualization">A visualization tile's chart; null for a text tile or when the visualization is gone.</param>
/// <param name="Result">The first rows of the latest result the tile draws; null when there is none yet.</param>
public sealed record PublicTileDto(
    string Id, TileKind Kind, int X, int Y, int W, int H, string? Html, PublicVisualizationDto? Visualization, PublicResultDto? Result);

/// <summary>What a chart needs to draw itself.</summary>
/// <param name="Type">The visualization type (table, line, bar, area, pie, scatter, counter, pivot).</param>
/// <param name="Options">The type's options as stored.</param>
public sealed record PublicVisualizationDto(string Type, string Name, JsonElement Options);

/// <summary>The first rows of a tile's latest result.</summary>
/// <param name="Data">Rows 1 to at most Dashboards:TileRows, cells as /runs/{id}/results gives them.</param>
/// <param name="TotalRows">Every row of the result; more than data holds when the tile shows a first page.</param>
/// <param name="Truncated">The result was cut by its run's row or byte limit.</param>
/// <param name="CellsTruncated">How many cells of data are {"truncated": true, …} objects.</param>
public sealed record PublicResultDto(
    DateTimeOffset FinishedAt, IReadOnlyList<ResultColumnDto> Columns, IReadOnlyList<object?[]> Data, long TotalRows, bool Truncated, int CellsTruncated);
