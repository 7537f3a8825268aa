using System.Text;
using System.Text.Json;
using Loupe.Domain.Common;

namespace Loupe.Domain.Canvases;

/// <summary>What a canvas node shows: a saved query, a visualization, free text, or a filter.</summary>
public enum CanvasNodeType
{
    Query,
    Visualization,
    Text,
    Filter,
}

/// <summary>Where a node's top-left corner sits on the canvas (any finite coordinates).</summary>
public readonly record struct CanvasPosition(double X, double Y);

/// <summary>A node's width and height, each at least 1.</summary>
public readonly record struct CanvasSize(double W, double H);

/// <summary>
/// A box on a canvas. Query and visualization nodes point at a query or visualization of the
/// organization (<see cref="RefId"/>); text and filter nodes hold what they show in
/// <see cref="Config"/> and point at nothing.
/// </summary>
/// <param name="Config">A JSON object, as the client sent it.</param>
public sealed record CanvasNode(string Id, CanvasNodeType Type, Guid? RefId, CanvasPosition Position, CanvasSize Size, string Config)
{
    /// <summary>Whether nodes of this type point at another item (and must).</summary>
    public static bool Refers(CanvasNodeType type) => type is CanvasNodeType.Query or CanvasNodeType.Visualization;
}

/// <summary>An arrow from one node to another of the same canvas, with an optional label.</summary>
public sealed record CanvasEdge(string Id, string Source, string Target, string? Label);

/// <summary>
/// The rules a canvas's nodes and edges keep together: ids well-formed and unique, each edge
/// joining two different existing nodes at most once in the same direction, references present
/// exactly where the node type needs them, sizes, labels and configurations within their limits.
/// </summary>
public static class CanvasGraph
{
    public const int MaxNodes = 200;
    public const int MaxEdges = 500;
    public const int IdMaxLength = 64;
    public const int LabelMaxLength = 200;

    /// <summary>The most UTF-8 bytes one node's configuration may take.</summary>
    public const int ConfigMaxBytes = 16 * 1024;

    /// <summary>Every rule the graph breaks, each with the path of what breaks it (<c>edges[4].target</c>); empty when the graph is valid.</summary>
    public static IReadOnlyList<DomainError> Check(IReadOnlyList<CanvasNode> nodes, IReadOnlyList<CanvasEdge> edges)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(edges);
        var errors = new List<DomainError>();
        if (nodes.Count > MaxNodes)
        {
            errors.Add(CanvasErrors.TooManyNodes);
        }

        if (edges.Count > MaxEdges)
        {
            errors.Add(CanvasErrors.TooManyEdges);
        }

        var nodeIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i] ?? throw new ArgumentException("A node is missing.", nameof(nodes));
            var path = $"nodes[{i}]";
            if (!IsValidId(node.Id))
            {
                errors.Add(CanvasErrors.NodeIdInvalid(path + ".id"));
            }
            else if (!nodeIds.Add(node.Id))
            {
                errors.Add(CanvasErrors.NodeIdDuplicate(path + ".id"));
            }

            if (!Enum.IsDefined(node.Type))
            {
                errors.Add(CanvasErrors.NodeTypeUnknown(path + ".type"));
            }
            else if (CanvasNode.Refers(node.Type) && (node.RefId is null || node.RefId == Guid.Empty))
            {
                errors.Add(CanvasErrors.RefIdRequired(path + ".ref_id"));
            }
            else if (!CanvasNode.Refers(node.Type) && node.RefId is not null)
            {
                errors.Add(CanvasErrors.RefIdNotAllowed(path + ".ref_id"));
            }

            if (!double.IsFinite(node.Position.X) || !double.IsFinite(node.Position.Y))
            {
                errors.Add(CanvasErrors.PositionInvalid(path + ".position"));
            }

            if (!(node.Size.W >= 1) || !(node.Size.H >= 1) || !double.IsFinite(node.Size.W) || !double.IsFinite(node.Size.H))
            {
                errors.Add(CanvasErrors.SizeInvalid(path + ".size"));
            }

            if (CheckConfig(node.Config) is { } configError)
            {
                errors.Add(configError(path + ".config"));
            }
        }

        var edgeIds = new HashSet<string>(StringComparer.Ordinal);
        var joined = new HashSet<(string, string)>();
        for (var i = 0; i < edges.Count; i++)
        {
            var edge = edges[i] ?? throw new ArgumentException("An edge is missing.", nameof(edges));
            var path = $"edges[{i}]";
            if (!IsValidId(edge.Id))
            {
                errors.Add(CanvasErrors.EdgeIdInvalid(path + ".id"));
            }
            else if (!edgeIds.Add(edge.Id))
            {
                errors.Add(CanvasErrors.EdgeIdDuplicate(path + ".id"));
            }

            var sourceExists = edge.Source is not null && nodeIds.Contains(edge.Source);
            var targetExists = edge.Target is not null && nodeIds.Contains(edge.Target);
            if (!sourceExists)
            {
                errors.Add(CanvasErrors.EdgeNodeMissing(path + ".source"));
            }

            if (!targetExists)
            {
                errors.Add(CanvasErrors.EdgeNodeMissing(path + ".target"));
            }

            if (sourceExists && targetExists)
            {
                if (edge.Source == edge.Target)
                {
                    errors.Add(CanvasErrors.SelfLoop(path + ".target"));
                }
                else if (!joined.Add((edge.Source!, edge.Target!)))
                {
                    errors.Add(CanvasErrors.EdgeDuplicate(path));
                }
            }

            if (edge.Label is { } label && (label.Length > LabelMaxLength || label.Contains('\0', StringComparison.Ordinal)))
            {
                errors.Add(CanvasErrors.LabelInvalid(path + ".label"));
            }
        }

        return errors;
    }

    /// <summary>
    /// The ids the nodes point at, by node type (only query and visualization nodes point at
    /// anything). Whether each exists in the organization is for the caller to check.
    /// </summary>
    public static IReadOnlyDictionary<CanvasNodeType, IReadOnlySet<Guid>> ReferencedIds(IEnumerable<CanvasNode> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        return nodes
            .Where(n => CanvasNode.Refers(n.Type) && n.RefId is not null)
            .GroupBy(n => n.Type)
            .ToDictionary(g => g.Key, g => (IReadOnlySet<Guid>)g.Select(n => n.RefId!.Value).ToHashSet());
    }

    /// <summary>Ids of nodes and edges: 1 to <see cref="IdMaxLength"/> ASCII letters, digits, <c>-</c> or <c>_</c>.</summary>
    public static bool IsValidId(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= IdMaxLength && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static Func<string, DomainError>? CheckConfig(string? config)
    {
        if (config is null)
        {
            return CanvasErrors.ConfigInvalid;
        }

        if (Encoding.UTF8.GetByteCount(config) > ConfigMaxBytes)
        {
            return CanvasErrors.ConfigTooLarge;
        }

        try
        {
            using var document = JsonDocument.Parse(config);
            return document.RootElement.ValueKind == JsonValueKind.Object && !config.Contains("\\u0000", StringComparison.OrdinalIgnoreCase)
                ? null
                : CanvasErrors.ConfigInvalid;
        }
        catch (JsonException)
        {
            return CanvasErrors.ConfigInvalid;
        }
    }
}
