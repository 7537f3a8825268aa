using System.Text.Json;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Domain.Canvases;
using Loupe.Domain.Common;
using Loupe.Domain.Queries;
using Loupe.Domain.Visualizations;

namespace Loupe.Application.Canvases;

/// <summary>
/// A time preset as sent: <c>kind</c> (<c>last_15_minutes</c>, <c>last_hour</c>, <c>last_24_hours</c>,
/// <c>last_7_days</c>, <c>last_30_days</c>, <c>this_month</c> or <c>custom</c>), and for <c>custom</c>
/// only, <c>start</c> before <c>end</c> (timestamps with an offset).
/// </summary>
public sealed record TimePresetInput(string? Kind = null, DateTimeOffset? Start = null, DateTimeOffset? End = null);

/// <summary>
/// A node as sent: <c>id</c> (1 to 64 letters, digits, '-' or '_', unique in the canvas), <c>type</c>
/// (query, visualization, text, filter), <c>ref_id</c> (the query or visualization shown; only for
/// those two types), <c>position</c> {x, y}, <c>size</c> {w, h} (each at least 1) and <c>config</c>
/// (a JSON object of at most 16 KiB; <c>{}</c> when left out).
/// </summary>
public sealed record CanvasNodeInput(
    string? Id = null, string? Type = null, Guid? RefId = null, CanvasPositionInput? Position = null, CanvasSizeInput? Size = null, JsonElement? Config = null);

/// <summary>A node's position: two finite numbers.</summary>
public sealed record CanvasPositionInput(double? X = null, double? Y = null);

/// <summary>A node's width and height, each at least 1.</summary>
public sealed record CanvasSizeInput(double? W = null, double? H = null);

/// <summary>
/// An edge as sent: <c>id</c> (as a node's, unique among the edges), <c>source</c> and <c>target</c>
/// (ids of two different nodes of the same body) and an optional <c>label</c> (at most 200 characters).
/// </summary>
public sealed record CanvasEdgeInput(string? Id = null, string? Source = null, string? Target = null, string? Label = null);

/// <summary>
/// Turns what a client sent for a canvas into domain values and checks the whole graph at once:
/// every rule of <see cref="CanvasGraph"/> and the existence of every <c>ref_id</c> in the caller's
/// organization, in one query per referenced type whatever the node count. One 400 names every
/// broken rule by its path (<c>nodes[3].ref_id</c>).
/// </summary>
internal static class CanvasInput
{
    /// <summary>The preset sent (the validator has checked its kind and window members). A custom window whose start is not before its end is refused by the domain.</summary>
    public static CanvasTimePreset TimePreset(TimePresetInput input)
    {
        if (!TimePresetKinds.TryParse(input.Kind, out var kind))
        {
            throw new ValidationFailedException("time_preset.kind", $"time_preset.kind: one of {string.Join(", ", TimePresetKinds.Names)}.");
        }

        return kind == TimePresetKind.Custom
            ? CanvasTimePreset.Custom(input.Start!.Value, input.End!.Value)
            : CanvasTimePreset.Relative(kind);
    }

    /// <summary>
    /// The nodes and edges as domain values, once they keep every rule and every reference exists.
    /// </summary>
    /// <exception cref="ValidationFailedException">Every broken rule, keyed by its path.</exception>
    public static async Task<(IReadOnlyList<CanvasNode> Nodes, IReadOnlyList<CanvasEdge> Edges)> GraphAsync(
        IReadOnlyList<CanvasNodeInput?>? nodeInputs,
        IReadOnlyList<CanvasEdgeInput?>? edgeInputs,
        IReadStore store,
        IQueryExecutor executor,
        CancellationToken cancellationToken)
    {
        IReadOnlyList<CanvasNode> nodes = [.. (nodeInputs ?? []).Select(n => Node(n!))];
        IReadOnlyList<CanvasEdge> edges = [.. (edgeInputs ?? []).Select(e => new CanvasEdge(e!.Id!, e.Source!, e.Target!, e.Label))];
        var errors = new List<DomainError>(CanvasGraph.Check(nodes, edges));
        errors.AddRange(await MissingReferencesAsync(nodes, store, executor, cancellationToken).ConfigureAwait(false));
        if (errors.Count > 0)
        {
            throw Invalid(errors);
        }

        return (nodes, edges);
    }

    /// <summary>One 400 for several domain errors; its code is theirs when they all break the same rule.</summary>
    public static ValidationFailedException Invalid(IReadOnlyList<DomainError> errors)
    {
        var codes = errors.Select(error => error.Code).Distinct(StringComparer.Ordinal).ToList();
        return new ValidationFailedException(errors
            .GroupBy(error => error.Field ?? "body", StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Select(error => error.Message).Distinct(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal))
        {
            Code = codes.Count == 1 ? codes[0] : ErrorCodes.ValidationFailed,
        };
    }

    /// <summary>
    /// A node as the domain knows it. What is missing or unknown is passed on as a value the graph
    /// check refuses at the node's path: an unknown type, a position that is not finite, a size below 1.
    /// </summary>
    private static CanvasNode Node(CanvasNodeInput input) => new(
        input.Id!,
        CanvasNodeTypes.TryParse(input.Type, out var type) ? type : (CanvasNodeType)(-1),
        input.RefId,
        new CanvasPosition(input.Position?.X ?? double.NaN, input.Position?.Y ?? double.NaN),
        new CanvasSize(input.Size?.W ?? 0, input.Size?.H ?? 0),
        input.Config is { } config ? config.GetRawText() : "{}");

    /// <summary>A <c>canvas.ref_not_found</c> for each node whose item is not in the organization: one query per node type that refers to anything.</summary>
    private static async Task<List<DomainError>> MissingReferencesAsync(
        IReadOnlyList<CanvasNode> nodes, IReadStore store, IQueryExecutor executor, CancellationToken cancellationToken)
    {
        var referenced = CanvasGraph.ReferencedIds(nodes.Where(n => Enum.IsDefined(n.Type)));
        var found = new Dictionary<CanvasNodeType, HashSet<Guid>>();
        if (referenced.TryGetValue(CanvasNodeType.Query, out var queryIds))
        {
            var ids = queryIds.ToList();
            found[CanvasNodeType.Query] = [.. await executor.ToListAsync(
                store.Query<SavedQuery>().Where(q => ids.Contains(q.Id)).Select(q => q.Id), cancellationToken).ConfigureAwait(false)];
        }

        if (referenced.TryGetValue(CanvasNodeType.Visualization, out var visualizationIds))
        {
            var ids = visualizationIds.ToList();
            found[CanvasNodeType.Visualization] = [.. await executor.ToListAsync(
                store.Query<Visualization>().Where(v => ids.Contains(v.Id)).Select(v => v.Id), cancellationToken).ConfigureAwait(false)];
        }

        var errors = new List<DomainError>();
        for (var i = 0; i < nodes.Count; i++)
        {
            if (nodes[i] is { RefId: { } refId } node && refId != Guid.Empty && found.TryGetValue(node.Type, out var existing) && !existing.Contains(refId))
            {
                errors.Add(CanvasErrors.ReferenceNotFound($"nodes[{i}].ref_id"));
            }
        }

        return errors;
    }
}
