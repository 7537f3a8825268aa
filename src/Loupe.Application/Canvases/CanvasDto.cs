using System.Text.Json;
using Loupe.Application.Common;
using Loupe.Domain.Canvases;

namespace Loupe.Application.Canvases;

/// <summary>
/// A canvas as answered, with its whole graph. <c>time_preset</c> is the window it shows and
/// <c>time_window</c> that window resolved at the moment of the answer; <c>status</c> is
/// <c>active</c> or <c>archived</c>.
/// </summary>
public sealed record CanvasDto(
    Guid Id,
    string Name,
    string? Description,
    TimePresetDto TimePreset,
    TimeWindowDto TimeWindow,
    IReadOnlyList<CanvasNodeDto> Nodes,
    IReadOnlyList<CanvasEdgeDto> Edges,
    string Status,
    DateTimeOffset? ArchivedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    internal static CanvasDto From(Canvas canvas, CanvasWindows windows) => new(
        canvas.Id,
        canvas.Name,
        canvas.Description,
        TimePresetDto.From(canvas.TimePreset.Kind, canvas.TimePreset.Start, canvas.TimePreset.End),
        windows.Of(canvas.TimePreset),
        [.. canvas.Nodes.Select(CanvasNodeDto.From)],
        [.. canvas.Edges.Select(CanvasEdgeDto.From)],
        ItemStatuses.Of(canvas.ArchivedAt),
        canvas.ArchivedAt,
        canvas.CreatedAt,
        canvas.UpdatedAt);
}

/// <summary>A canvas in a list: everything but its nodes and edges.</summary>
public sealed record CanvasSummaryDto(
    Guid Id,
    string Name,
    string? Description,
    TimePresetDto TimePreset,
    TimeWindowDto TimeWindow,
    string Status,
    DateTimeOffset? ArchivedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>A time preset: its <c>kind</c>, and for <c>custom</c> the window's <c>start</c> (included) and <c>end</c> (excluded).</summary>
public sealed record TimePresetDto(string Kind, DateTimeOffset? Start, DateTimeOffset? End)
{
    internal static TimePresetDto From(TimePresetKind kind, DateTimeOffset? start, DateTimeOffset? end) => new(kind.WireName(), start, end);
}

/// <summary>
/// The window a canvas's time preset gives at the moment of the answer, in the organization's time
/// zone: <c>start</c> included, <c>end</c> excluded. Relative presets end at that moment;
/// <c>this_month</c> starts at local midnight on the first day of the month; a custom preset is its
/// own window. Computed for each answer, read-only, and not part of the canvas's <c>ETag</c>.
/// </summary>
public sealed record TimeWindowDto(DateTimeOffset Start, DateTimeOffset End);

/// <summary>
/// A node as answered: <c>ref_id</c> names the query or visualization a query or visualization node
/// shows (null for text and filter nodes); <c>config</c> is the JSON object the client saved.
/// </summary>
public sealed record CanvasNodeDto(string Id, string Type, Guid? RefId, CanvasPositionDto Position, CanvasSizeDto Size, JsonElement Config)
{
    internal static CanvasNodeDto From(CanvasNode node)
    {
        using var config = JsonDocument.Parse(node.Config);
        return new(
            node.Id,
            node.Type.WireName(),
            node.RefId,
            new CanvasPositionDto(node.Position.X, node.Position.Y),
            new CanvasSizeDto(node.Size.W, node.Size.H),
            config.RootElement.Clone());
    }
}

/// <summary>Where a node's top-left corner is.</summary>
public sealed record CanvasPositionDto(double X, double Y);

/// <summary>A node's width and height.</summary>
public sealed record CanvasSizeDto(double W, double H);

/// <summary>An edge as answered: from <c>source</c> to <c>target</c> (node ids), with an optional <c>label</c>.</summary>
public sealed record CanvasEdgeDto(string Id, string Source, string Target, string? Label)
{
    internal static CanvasEdgeDto From(CanvasEdge edge) => new(edge.Id, edge.Source, edge.Target, edge.Label);
}

