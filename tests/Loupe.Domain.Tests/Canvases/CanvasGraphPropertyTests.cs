using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Domain.Canvases;
using Loupe.Domain.Common;

namespace Loupe.Domain.Tests.Canvases;

public sealed class CanvasGraphPropertyTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    private static readonly CanvasNodeType[] Types = [CanvasNodeType.Query, CanvasNodeType.Visualization, CanvasNodeType.Text, CanvasNodeType.Filter];

    private static readonly Gen<CanvasNode> Node =
        Gen.Elements(Types)
            .SelectMany(type => Gen.Choose(-5000, 5000).Two()
                .SelectMany(position => Gen.Choose(1, 2000).Two()
                    .Select(size => new CanvasNode(
                        string.Empty,
                        type,
                        CanvasNode.Refers(type) ? Guid.NewGuid() : null,
                        new CanvasPosition(position.Item1 / 3.0, position.Item2),
                        new CanvasSize(size.Item1, (size.Item2 + 6) / 7.0),
                        type == CanvasNodeType.Text ? "{\"markdown\":\"# Notes\"}" : "{}"))));

    /// <summary>A valid graph: unique ids, each edge between two different existing nodes, no pair joined twice in one direction.</summary>
    private static readonly Gen<(CanvasNode[] Nodes, CanvasEdge[] Edges)> ValidGraph =
        Gen.Choose(0, 40)
            .SelectMany(count => Node.ArrayOf(count).Select(nodes => nodes.Select((n, i) => n with { Id = $"node-{i}" }).ToArray()))
            .SelectMany(nodes => Gen.Choose(0, Math.Max(0, nodes.Length - 1)).Two().ArrayOf()
                .Select(pairs => (nodes, Edges: pairs
                    .Where(p => p.Item1 != p.Item2)
                    .Distinct()
                    .Take(CanvasGraph.MaxEdges)
                    .Select((p, i) => new CanvasEdge($"e_{i}", nodes[p.Item1].Id, nodes[p.Item2].Id, i % 3 == 0 ? "feeds" : null))
                    .ToArray())));

    private static readonly Gen<(CanvasNode[] Nodes, CanvasEdge[] Edges)> GraphWithANode = ValidGraph.Where(g => g.Nodes.Length > 0);

    private static readonly Gen<(CanvasNode[] Nodes, CanvasEdge[] Edges)> GraphWithAnEdge = ValidGraph.Where(g => g.Edges.Length > 0);

    private static Canvas NewCanvas() =>
        Canvas.Create(Guid.CreateVersion7(), Guid.CreateVersion7(), "Flow", null, CanvasTimePreset.Relative(TimePresetKind.LastHour), Now);

    [Property]
    public Property AnyValidGraph_IsAccepted_AndReplacesNodesAndEdges() =>
        Prop.ForAll(ValidGraph.ToArbitrary(), graph =>
        {
            CanvasGraph.Check(graph.Nodes, graph.Edges).ShouldBeEmpty();
            var canvas = NewCanvas();
            canvas.ReplaceGraph(graph.Nodes, graph.Edges, Now.AddMinutes(1));
            canvas.Nodes.ShouldBe(graph.Nodes);
            canvas.Edges.ShouldBe(graph.Edges);
        });

    [Property]
    public Property ASelfLoop_IsRefused_NamingTheEdge() =>
        Prop.ForAll(GraphWithANode.ToArbitrary(), Gen.Choose(0, 1000).ToArbitrary(), (graph, pick) =>
        {
            var node = graph.Nodes[pick % graph.Nodes.Length].Id;
            var edges = graph.Edges.Append(new CanvasEdge("loop", node, node, null)).ToArray();

            var error = CanvasGraph.Check(graph.Nodes, edges).ShouldHaveSingleItem();

            error.Code.ShouldBe("canvas.self_loop");
            error.Field.ShouldBe($"edges[{edges.Length - 1}].target");
        });

    [Property]
    public Property ADanglingEdge_IsRefused_NamingTheEnd() =>
        Prop.ForAll(GraphWithANode.ToArbitrary(), Gen.Choose(0, 1000).ToArbitrary(), ArbMap.Default.ArbFor<bool>(), (graph, pick, atSource) =>
        {
            var node = graph.Nodes[pick % graph.Nodes.Length].Id;
            var edge = atSource ? new CanvasEdge("dangling", "nowhere", node, null) : new CanvasEdge("dangling", node, "nowhere", null);
            var edges = graph.Edges.Append(edge).ToArray();

            var error = CanvasGraph.Check(graph.Nodes, edges).ShouldHaveSingleItem();

            error.Code.ShouldBe("canvas.edge_node_missing");
            error.Field.ShouldBe($"edges[{edges.Length - 1}].{(atSource ? "source" : "target")}");
        });

    [Property]
    public Property ADuplicateEdge_IsRefused_NamingTheSecond() =>
        Prop.ForAll(GraphWithAnEdge.ToArbitrary(), Gen.Choose(0, 1000).ToArbitrary(), (graph, pick) =>
        {
            var copied = graph.Edges[pick % graph.Edges.Length];
            var edges = graph.Edges.Append(copied with { Id = "again", Label = "other label" }).ToArray();

            var error = CanvasGraph.Check(graph.Nodes, edges).ShouldHaveSingleItem();

            error.Code.ShouldBe("canvas.edge_duplicate");
            error.Field.ShouldBe($"edges[{edges.Length - 1}]");
        });

    [Property]
    public Property ARefusedReplace_LeavesTheCanvasUnchanged() =>
        Prop.ForAll(GraphWithANode.ToArbitrary(), ValidGraph.ToArbitrary(), Gen.Choose(0, 3).ToArbitrary(), (before, attempt, breakage) =>
        {
            var canvas = NewCanvas();
            canvas.ReplaceGraph(before.Nodes, before.Edges, Now);
            var node = before.Nodes[0].Id;
            CanvasEdge[] broken = breakage switch
            {
                0 => [.. attempt.Edges, new CanvasEdge("loop", node, node, null)],
                1 => [.. attempt.Edges, new CanvasEdge("dangling", "nowhere", "elsewhere", null)],
                2 => [.. attempt.Edges, .. attempt.Edges.Take(1), new CanvasEdge("x", "nowhere", "nowhere", null)],
                _ => [.. attempt.Edges, new CanvasEdge("long", "nowhere", "nowhere", new string('l', CanvasGraph.LabelMaxLength + 1))],
            };

            Should.Throw<DomainException>(() => canvas.ReplaceGraph(attempt.Nodes, broken, Now.AddHours(1)));

            canvas.Nodes.ShouldBe(before.Nodes);
            canvas.Edges.ShouldBe(before.Edges);
            canvas.UpdatedAt.ShouldBe(Now);
        });

    [Property]
    public Property ReferencedIds_AreExactlyThoseOfQueryAndVisualizationNodes() =>
        Prop.ForAll(ValidGraph.ToArbitrary(), graph =>
        {
            var referenced = CanvasGraph.ReferencedIds(graph.Nodes);

            foreach (var type in Types)
            {
                var expected = graph.Nodes.Where(n => n.Type == type && n.RefId is not null).Select(n => n.RefId!.Value).ToHashSet();
                (referenced.TryGetValue(type, out var ids) ? ids : new HashSet<Guid>()).ShouldBe(expected, ignoreOrder: true);
            }
        });
}
