using System.Text.Json;
using Loupe.Application.Common;
using Loupe.Domain.Visualizations;

namespace Loupe.Application.Visualizations;

/// <summary>
/// A visualization as answered: <c>type</c> is its wire name (<c>table</c>, <c>line</c>, <c>bar</c>,
/// <c>area</c>, <c>pie</c>, <c>scatter</c>, <c>counter</c>, <c>pivot</c>) and <c>options</c> the settings
/// of that type in their canonical form (optional settings left out when absent, defaults written).
/// <c>warnings</c> names each setting whose column the query's latest result no longer has; the
/// settings themselves are served as stored. <c>status</c> is <c>active</c> or <c>archived</c>, and
/// <c>archived_at</c> is set while it is archived, as for every item.
/// </summary>
public sealed record VisualizationDto(
    Guid Id,
    Guid QueryId,
    string Name,
    string? Description,
    string Type,
    JsonElement Options,
    IReadOnlyList<string> Tags,
    Guid? OwnerId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string Status,
    DateTimeOffset? ArchivedAt,
    IReadOnlyList<VisualizationWarningDto> Warnings)
{
    /// <summary>The visualization, with warnings for the references <paramref name="resultColumns"/> lacks (none without a result).</summary>
    internal static VisualizationDto From(Visualization visualization, IReadOnlyList<string>? resultColumns) => new(
        visualization.Id,
        visualization.QueryId,
        visualization.Name,
        visualization.Description,
        visualization.Type.WireName(),
        JsonSerializer.Deserialize<JsonElement>(visualization.Options.ToJson()),
        visualization.Tags,
        visualization.OwnerId,
        visualization.CreatedAt,
        visualization.UpdatedAt,
        ItemStatuses.Of(visualization.ArchivedAt),
        visualization.ArchivedAt,
        resultColumns is null ? [] : [.. ColumnReferences.Missing(visualization.Options, resultColumns).Select(VisualizationWarningDto.From)]);
}

/// <summary>
/// A setting that names a column the query's latest result does not have (any more): <c>code</c> is
/// <c>visualization.unknown_column</c>, <c>path</c> the setting (<c>options.series[1].column</c>),
/// <c>column</c> the name it holds. A run that brings the column back clears it.
/// </summary>
public sealed record VisualizationWarningDto(string Code, string Path, string Column, string Message)
{
    internal static VisualizationWarningDto From(ColumnReference reference)
    {
        var error = VisualizationErrors.UnknownColumn(reference.Path, reference.Column);
        return new(error.Code, reference.Path, reference.Column, error.Message);
    }
}
