using Loupe.Domain.Canvases;
using Loupe.Domain.Common;

namespace Loupe.Domain.Tests.Canvases;

public sealed class CanvasTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid Organization = Guid.CreateVersion7();
    private static readonly Guid QueryId = Guid.CreateVersion7();
    private static readonly Guid VisualizationId = Guid.CreateVersion7();

    private static readonly CanvasNode Query = new("q", CanvasNodeType.Query, QueryId, new(0, 0), new(4, 3), "{}");
    private static readonly CanvasNode Chart = new("chart", CanvasNodeType.Visualization, VisualizationId, new(10, 0), new(8, 6), "{\"collapsed\":false}");
    private static readonly CanvasNode Note = new("note", CanvasNodeType.Text, null, new(-5.5, 2), new(3, 1), "{\"markdown\":\"Why\"}");
    private static readonly CanvasNode Filter = new("country", CanvasNodeType.Filter, null, new(0, -4), new(2, 1), "{\"parameter\":\"country\"}");

    private static Canvas NewCanvas() =>
        Canvas.Create(Guid.CreateVersion7(), Organization, "  Revenue flow ", " How orders become revenue ", CanvasTimePreset.Relative(TimePresetKind.Last7Days), Now);

    [Fact]
    public void Create_TrimsAndStartsEmpty()
    {
        var canvas = NewCanvas();

        canvas.Name.ShouldBe("Revenue flow");
        canvas.Description.ShouldBe("How orders become revenue");
        canvas.OrganizationId.ShouldBe(Organization);
        canvas.TimePreset.Kind.ShouldBe(TimePresetKind.Last7Days);
        canvas.Nodes.ShouldBeEmpty();
        canvas.Edges.ShouldBeEmpty();
        canvas.IsArchived.ShouldBeFalse();
        canvas.CreatedAt.ShouldBe(Now);
    }

    [Theory]
    [InlineData("", "canvas.name_required")]
    [InlineData("   ", "canvas.name_required")]
    [InlineData("a\0b", "canvas.nul_character")]
    public void Create_RefusesABadName(string name, string code) =>
        Should.Throw<DomainException>(() => Canvas.Create(Guid.CreateVersion7(), Organization, name, null, CanvasTimePreset.Relative(TimePresetKind.LastHour), Now))
            .Error.Code.ShouldBe(code);

    [Fact]
    public void Create_RefusesTooLongNameAndDescription()
    {
        var preset = CanvasTimePreset.Relative(TimePresetKind.LastHour);

        Should.Throw<DomainException>(() => Canvas.Create(Guid.CreateVersion7(), Organization, new string('n', Canvas.NameMaxLength + 1), null, preset, Now))
            .Error.ShouldBe(CanvasErrors.NameTooLong);
        Should.Throw<DomainException>(() => Canvas.Create(Guid.CreateVersion7(), Organization, "n", new string('d', Canvas.DescriptionMaxLength + 1), preset, Now))
            .Error.ShouldBe(CanvasErrors.DescriptionTooLong);
    }

    [Fact]
    public void ReplaceGraph_TakesNodesAndEdgesTogether()
    {
        var canvas = NewCanvas();
        CanvasEdge[] edges = [new("e1", "q", "chart", "feeds"), new("e2", "country", "q", null), new("e3", "chart", "q", null)];

        canvas.ReplaceGraph([Query, Chart, Note, Filter], edges, Now.AddMinutes(1)).ShouldBeTrue();

        canvas.Nodes.ShouldBe([Query, Chart, Note, Filter]);
        canvas.Edges.ShouldBe(edges);
        canvas.UpdatedAt.ShouldBe(Now.AddMinutes(1));
        canvas.ReferencedIds[CanvasNodeType.Query].ShouldBe([QueryId]);
        canvas.ReferencedIds[CanvasNodeType.Visualization].ShouldBe([VisualizationId]);
        canvas.ReferencedIds.Keys.ShouldBe([CanvasNodeType.Query, CanvasNodeType.Visualization], ignoreOrder: true);
    }

    [Fact]
    public void ReplaceGraph_WithTheSameGraph_ChangesNothing()
    {
        var canvas = NewCanvas();
        canvas.ReplaceGraph([Query, Chart], [new("e1", "q", "chart", null)], Now.AddMinutes(1));

        canvas.ReplaceGraph([Query, Chart], [new("e1", "q", "chart", null)], Now.AddMinutes(2)).ShouldBeFalse();

        canvas.UpdatedAt.ShouldBe(Now.AddMinutes(1));
    }

    [Fact]
    public void Check_CollectsEveryBrokenRule_WithItsPath()
    {
        CanvasNode[] nodes =
        [
            Query,
            Query with { RefId = null },
            Note with { Id = "bad id!" },
            Note with { RefId = Guid.CreateVersion7(), Id = "n2" },
            Chart with { Size = new(0, 3), Id = "c2" },
            Filter with { Id = "chart" },
            Filter with { Id = "f2", Config = "[1]" },
            Filter with { Id = "f3", Config = "{\"t\":\"" + new string('x', CanvasGraph.ConfigMaxBytes) + "\"}" },
            Filter with { Id = "f4", Position = new(double.NaN, 0) },
        ];
        CanvasEdge[] edges =
        [
            new("e1", "q", "chart", null),
            new("e1", "chart", "q", null),
            new("e3", "q", "q", null),
            new("e4", "q", "chart", null),
            new("e5", "q", "ghost", null),
            new("e6", "ghost", "q", new string('l', CanvasGraph.LabelMaxLength + 1)),
            new("", "c2", "chart", null),
        ];

        var errors = CanvasGraph.Check(nodes, edges);

        errors.Select(e => (e.Code, e.Field)).ShouldBe(
        [
            ("canvas.node_id_duplicate", "nodes[1].id"),
            ("canvas.ref_id_required", "nodes[1].ref_id"),
            ("canvas.node_id_invalid", "nodes[2].id"),
            ("canvas.ref_id_not_allowed", "nodes[3].ref_id"),
            ("canvas.size_invalid", "nodes[4].size"),
            ("canvas.config_invalid", "nodes[6].config"),
            ("canvas.config_too_large", "nodes[7].config"),
            ("canvas.position_invalid", "nodes[8].position"),
            ("canvas.edge_id_duplicate", "edges[1].id"),
            ("canvas.self_loop", "edges[2].target"),
            ("canvas.edge_duplicate", "edges[3]"),
            ("canvas.edge_node_missing", "edges[4].target"),
            ("canvas.edge_node_missing", "edges[5].source"),
            ("canvas.label_invalid", "edges[5].label"),
            ("canvas.edge_id_invalid", "edges[6].id"),
        ]);
        errors.ShouldAllBe(e => e.Kind == DomainErrorKind.Validation);
    }

    [Fact]
    public void Check_CountsNodesAndEdges()
    {
        var nodes = Enumerable.Range(0, CanvasGraph.MaxNodes + 1).Select(i => Note with { Id = $"n{i}" }).ToArray();
        var edges = Enumerable.Range(0, CanvasGraph.MaxEdges + 1).Select(i => new CanvasEdge($"e{i}", $"n{i % 200}", $"n{(i / 200) + (i % 200) + 1}", null)).ToArray();

        var codes = CanvasGraph.Check(nodes, edges).Select(e => e.Code).ToList();

        codes.ShouldContain("canvas.too_many_nodes");
        codes.ShouldContain("canvas.too_many_edges");
        CanvasGraph.Check(nodes[..CanvasGraph.MaxNodes], []).ShouldBeEmpty();
    }

    [Fact]
    public void ReplaceGraph_Refused_ThrowsTheFirstRule_AndKeepsTheGraph()
    {
        var canvas = NewCanvas();
        canvas.ReplaceGraph([Query, Chart], [new("e1", "q", "chart", null)], Now.AddMinutes(1));

        var error = Should.Throw<DomainException>(() => canvas.ReplaceGraph([Query, Note], [new("e1", "q", "chart", null)], Now.AddMinutes(2))).Error;

        error.ShouldBe(CanvasErrors.EdgeNodeMissing("edges[0].target"));
        canvas.Nodes.ShouldBe([Query, Chart]);
        canvas.UpdatedAt.ShouldBe(Now.AddMinutes(1));
    }

    [Fact]
    public void AnArchivedCanvas_IsReadOnly_UntilRestored()
    {
        var canvas = NewCanvas();

        canvas.Archive(Now.AddMinutes(1)).ShouldBeTrue();
        canvas.Archive(Now.AddMinutes(2)).ShouldBeFalse();

        Should.Throw<DomainException>(() => canvas.ReplaceGraph([Note], [], Now)).Error.ShouldBe(CanvasErrors.Archived);
        Should.Throw<DomainException>(() => canvas.Rename("x", Now)).Error.ShouldBe(CanvasErrors.Archived);
        Should.Throw<DomainException>(() => canvas.ChangeTimePreset(CanvasTimePreset.Relative(TimePresetKind.ThisMonth), Now)).Error.ShouldBe(CanvasErrors.Archived);
        canvas.Restore(Now.AddMinutes(3)).ShouldBeTrue();
        canvas.Restore(Now.AddMinutes(4)).ShouldBeFalse();
        canvas.ReplaceGraph([Note], [], Now.AddMinutes(5)).ShouldBeTrue();
    }

    [Fact]
    public void ChangeTimePreset_AndDescribe_TouchOnlyWhenChanged()
    {
        var canvas = NewCanvas();
        var custom = CanvasTimePreset.Custom(Now.AddDays(-3), Now.AddDays(-1));

        canvas.ChangeTimePreset(CanvasTimePreset.Relative(TimePresetKind.Last7Days), Now.AddMinutes(1));
        canvas.UpdatedAt.ShouldBe(Now);
        canvas.ChangeTimePreset(custom, Now.AddMinutes(2));
        canvas.TimePreset.ShouldBe(custom);
        canvas.Describe("  ", Now.AddMinutes(3));
        canvas.Description.ShouldBeNull();
        canvas.UpdatedAt.ShouldBe(Now.AddMinutes(3));
    }
}
