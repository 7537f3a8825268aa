using System.Text.Json;
using Loupe.Domain.Canvases;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Loupe.Infrastructure.Persistence.Configurations;

/// <summary>
/// A canvas's nodes and edges stored as <c>jsonb</c> arrays in the API's shape. A node's
/// <c>config</c> is stored as a JSON string holding the text the client sent: jsonb would reorder
/// the keys of an embedded object, and the canvas keeps the configuration as written.
/// </summary>
internal static class CanvasGraphColumns
{
    public const string ColumnType = "jsonb";

    public static readonly ValueConverter<IReadOnlyList<CanvasNode>, string> Nodes = new(nodes => WriteNodes(nodes), json => ReadNodes(json));

    public static readonly ValueConverter<IReadOnlyList<CanvasEdge>, string> Edges = new(edges => WriteEdges(edges), json => ReadEdges(json));

    public static readonly ValueComparer<IReadOnlyList<CanvasNode>> NodesComparer = new(
        (left, right) => left!.SequenceEqual(right!),
        nodes => nodes.Aggregate(0, (hash, node) => HashCode.Combine(hash, node)),
        nodes => nodes.ToList());

    public static readonly ValueComparer<IReadOnlyList<CanvasEdge>> EdgesComparer = new(
        (left, right) => left!.SequenceEqual(right!),
        edges => edges.Aggregate(0, (hash, edge) => HashCode.Combine(hash, edge)),
        edges => edges.ToList());

    private static string WriteNodes(IReadOnlyList<CanvasNode> nodes) => Write(writer =>
    {
        foreach (var node in nodes)
        {
            writer.WriteStartObject();
            writer.WriteString("id", node.Id);
            writer.WriteString("type", node.Type.WireName());
            if (node.RefId is { } refId)
            {
                writer.WriteString("ref_id", refId);
            }

            writer.WriteStartObject("position");
            writer.WriteNumber("x", node.Position.X);
            writer.WriteNumber("y", node.Position.Y);
            writer.WriteEndObject();
            writer.WriteStartObject("size");
            writer.WriteNumber("w", node.Size.W);
            writer.WriteNumber("h", node.Size.H);
            writer.WriteEndObject();
            writer.WriteString("config", node.Config);
            writer.WriteEndObject();
        }
    });

    private static string WriteEdges(IReadOnlyList<CanvasEdge> edges) => Write(writer =>
    {
        foreach (var edge in edges)
        {
            writer.WriteStartObject();
            writer.WriteString("id", edge.Id);
            writer.WriteString("source", edge.Source);
            writer.WriteString("target", edge.Target);
            if (edge.Label is { } label)
            {
                writer.WriteString("label", label);
            }

            writer.WriteEndObject();
        }
    });

    private static string Write(Action<Utf8JsonWriter> items)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            items(writer);
            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static List<CanvasNode> ReadNodes(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(node => new CanvasNode(
            node.GetProperty("id").GetString()!,
            CanvasNodeTypes.TryParse(node.GetProperty("type").GetString(), out var type)
                ? type
                : throw new InvalidOperationException("The database holds a canvas node of an unknown type."),
            node.TryGetProperty("ref_id", out var refId) ? refId.GetGuid() : null,
            new CanvasPosition(node.GetProperty("position").GetProperty("x").GetDouble(), node.GetProperty("position").GetProperty("y").GetDouble()),
            new CanvasSize(node.GetProperty("size").GetProperty("w").GetDouble(), node.GetProperty("size").GetProperty("h").GetDouble()),
            node.GetProperty("config").GetString()!))];
    }

    private static List<CanvasEdge> ReadEdges(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(edge => new CanvasEdge(
            edge.GetProperty("id").GetString()!,
            edge.GetProperty("source").GetString()!,
            edge.GetProperty("target").GetString()!,
            edge.TryGetProperty("label", out var label) ? label.GetString() : null))];
    }
}
