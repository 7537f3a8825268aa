using System.Text.Json;
using System.Text.Json.Nodes;
using Loupe.Application.SavedQueries;
using Loupe.Domain.Dashboards;

namespace Loupe.Application.Dashboards;

/// <summary>
/// The one JSON shape of a dashboard's tiles and parameter mappings, on the wire and in storage
/// (parameters are <see cref="ParameterJson"/>'s). A tile is
/// <c>{"id", "kind", "visualization_id"?, "text"?, "x", "y", "w", "h"}</c>; a mapping is
/// <c>{"tile_id", "query_parameter", "source", "dashboard_parameter"?, "value"?}</c>.
/// </summary>
public static class DashboardJson
{
    public const string VisualizationKind = "visualization";
    public const string TextKind = "text";
    public const string DashboardSource = "dashboard";
    public const string StaticSource = "static";

    public static IReadOnlyList<string> Kinds { get; } = [VisualizationKind, TextKind];

    public static IReadOnlyList<string> Sources { get; } = [DashboardSource, StaticSource];

    public static string KindName(TileKind kind) => kind == TileKind.Text ? TextKind : VisualizationKind;

    public static bool TryParseKind(string? name, out TileKind kind)
    {
        switch (name)
        {
            case VisualizationKind:
                kind = TileKind.Visualization;
                return true;
            case TextKind:
                kind = TileKind.Text;
                return true;
            default:
                kind = default;
                return false;
        }
    }

    public static string SourceName(MappingSource source) => source == MappingSource.Static ? StaticSource : DashboardSource;

    public static bool TryParseSource(string? name, out MappingSource source)
    {
        switch (name)
        {
            case DashboardSource:
                source = MappingSource.Dashboard;
                return true;
            case StaticSource:
                source = MappingSource.Static;
                return true;
            default:
                source = default;
                return false;
        }
    }

    /// <summary>Tiles as stored (a JSON array).</summary>
    public static string SerializeTiles(IReadOnlyList<DashboardTile> tiles)
    {
        ArgumentNullException.ThrowIfNull(tiles);
        var array = new JsonArray();
        foreach (var tile in tiles)
        {
            var item = new JsonObject { ["id"] = tile.Id, ["kind"] = KindName(tile.Kind) };
            if (tile.VisualizationId is { } visualizationId)
            {
                item["visualization_id"] = visualizationId;
            }

            if (tile.Text is not null)
            {
                item["text"] = tile.Text;
            }

            item["x"] = tile.X;
            item["y"] = tile.Y;
            item["w"] = tile.W;
            item["h"] = tile.H;
            array.Add(item);
        }

        return array.ToJsonString();
    }

    /// <summary>Tiles read back from storage.</summary>
    public static IReadOnlyList<DashboardTile> DeserializeTiles(string json)
    {
        using var document = JsonDocument.Parse(json);
        return
        [
            .. document.RootElement.EnumerateArray().Select(item => new DashboardTile(
                item.GetProperty("id").GetString()!,
                TryParseKind(item.GetProperty("kind").GetString(), out var kind) ? kind : throw new JsonException("Unknown stored tile kind."),
                item.TryGetProperty("visualization_id", out var visualization) ? visualization.GetGuid() : null,
                item.TryGetProperty("text", out var text) ? text.GetString() : null,
                item.GetProperty("x").GetInt32(),
                item.GetProperty("y").GetInt32(),
                item.GetProperty("w").GetInt32(),
                item.GetProperty("h").GetInt32())),
        ];
    }

    /// <summary>Mappings as stored (a JSON array).</summary>
    public static string SerializeMappings(IReadOnlyList<ParameterMapping> mappings)
    {
        ArgumentNullException.ThrowIfNull(mappings);
        var array = new JsonArray();
        foreach (var mapping in mappings)
        {
            var item = new JsonObject
            {
                ["tile_id"] = mapping.TileId,
                ["query_parameter"] = mapping.QueryParameter,
                ["source"] = SourceName(mapping.Source),
            };
            if (mapping.DashboardParameter is not null)
            {
                item["dashboard_parameter"] = mapping.DashboardParameter;
            }

            if (ParameterJson.ToJson(mapping.Value) is { } value)
            {
                item["value"] = JsonNode.Parse(value.GetRawText());
            }

            array.Add(item);
        }

        return array.ToJsonString();
    }

    /// <summary>Mappings read back from storage.</summary>
    public static IReadOnlyList<ParameterMapping> DeserializeMappings(string json)
    {
        using var document = JsonDocument.Parse(json);
        return
        [
            .. document.RootElement.EnumerateArray().Select(item => new ParameterMapping(
                item.GetProperty("tile_id").GetString()!,
                item.GetProperty("query_parameter").GetString()!,
                TryParseSource(item.GetProperty("source").GetString(), out var source) ? source : throw new JsonException("Unknown stored mapping source."),
                item.TryGetProperty("dashboard_parameter", out var parameter) ? parameter.GetString() : null,
                item.TryGetProperty("value", out var value) ? ParameterJson.ToValue(value) : null)),
        ];
    }
}
