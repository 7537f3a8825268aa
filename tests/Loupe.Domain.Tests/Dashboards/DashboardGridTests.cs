using Loupe.Domain.Dashboards;

namespace Loupe.Domain.Tests.Dashboards;

public sealed class DashboardGridTests
{
    private static readonly Guid Chart = Guid.CreateVersion7();

    private static DashboardTile Viz(string id, int x, int y, int w, int h) => DashboardTile.OfVisualization(id, Chart, x, y, w, h);

    private static (string Code, string? Field) Only(params DashboardTile?[] tiles)
    {
        var errors = DashboardGrid.Check(tiles);
        errors.Count.ShouldBe(1, string.Join("; ", errors.Select(e => e.Code)));
        return (errors[0].Code, errors[0].Field);
    }

    [Fact]
    public void TilesSideBySide_AndStacked_AreAccepted() =>
        DashboardGrid.Check([Viz("a", 0, 0, 12, 4), Viz("b", 12, 0, 12, 4), DashboardTile.OfText("c", "**Hi**", 0, 4, 24, 1)]).ShouldBeEmpty();

    [Fact]
    public void NoTiles_AreAccepted() => DashboardGrid.Check([]).ShouldBeEmpty();

    [Fact]
    public void OverlappingTiles_AreRefused_NamingTheSecond() =>
        Only(Viz("a", 0, 0, 12, 4), Viz("b", 11, 3, 4, 4)).ShouldBe(("dashboard.tiles_overlap", "tiles[1]"));

    [Fact]
    public void TilesTouchingAtAnEdge_DoNotOverlap() =>
        DashboardGrid.Check([Viz("a", 0, 0, 12, 4), Viz("b", 12, 3, 4, 4), Viz("c", 0, 4, 1, 1)]).ShouldBeEmpty();

    [Theory]
    [InlineData(13, 0, 12, 1)]
    [InlineData(24, 0, 1, 1)]
    [InlineData(-1, 0, 2, 1)]
    [InlineData(0, -1, 2, 1)]
    [InlineData(0, 9_999, 1, 2)]
    [InlineData(int.MaxValue, 0, int.MaxValue, 1)]
    public void ATileOutsideTheGrid_IsRefused(int x, int y, int w, int h) =>
        Only(Viz("a", 0, 0, 1, 1), Viz("b", x, y, w, h)).ShouldBe(("dashboard.tile_outside_grid", "tiles[1]"));

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 0)]
    [InlineData(-2, 3)]
    public void ATileWithoutWidthOrHeight_IsRefused(int w, int h) =>
        Only(Viz("a", 0, 0, w, h)).ShouldBe(("dashboard.tile_too_small", "tiles[0]"));

    [Fact]
    public void MoreThanAHundredTiles_AreRefused()
    {
        var tiles = Enumerable.Range(0, DashboardGrid.MaxTiles + 1).Select(i => Viz($"t{i}", i % 24, i / 24, 1, 1)).ToArray();

        DashboardGrid.Check(tiles[..DashboardGrid.MaxTiles]).ShouldBeEmpty();
        Only(tiles).ShouldBe(("dashboard.too_many_tiles", "tiles"));
    }

    [Fact]
    public void AVisualizationTileWithoutItsVisualization_IsRefused()
    {
        Only(new DashboardTile("a", TileKind.Visualization, null, null, 0, 0, 1, 1)).ShouldBe(("dashboard.visualization_required", "tiles[0].visualization_id"));
        Only(new DashboardTile("a", TileKind.Visualization, Guid.Empty, null, 0, 0, 1, 1)).ShouldBe(("dashboard.visualization_required", "tiles[0].visualization_id"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  \n ")]
    public void ATextTileWithoutText_IsRefused(string? text) =>
        Only(Viz("a", 0, 0, 1, 1), new DashboardTile("b", TileKind.Text, null, text, 1, 0, 1, 1)).ShouldBe(("dashboard.text_required", "tiles[1].text"));

    [Fact]
    public void ATextTileTooLong_OrWithNul_IsRefused()
    {
        Only(DashboardTile.OfText("a", new string('x', DashboardGrid.TextMaxLength + 1), 0, 0, 1, 1)).ShouldBe(("dashboard.text_too_long", "tiles[0].text"));
        Only(DashboardTile.OfText("a", "a\0b", 0, 0, 1, 1)).ShouldBe(("dashboard.text_too_long", "tiles[0].text"));
        DashboardGrid.Check([DashboardTile.OfText("a", new string('x', DashboardGrid.TextMaxLength), 0, 0, 1, 1)]).ShouldBeEmpty();
    }

    [Fact]
    public void ATileOfOneKind_WithTheOtherKindsContent_IsRefused()
    {
        Only(new DashboardTile("a", TileKind.Visualization, Chart, "text", 0, 0, 1, 1)).ShouldBe(("dashboard.text_not_allowed", "tiles[0].text"));
        Only(new DashboardTile("a", TileKind.Text, Chart, "text", 0, 0, 1, 1)).ShouldBe(("dashboard.visualization_not_allowed", "tiles[0].visualization_id"));
    }

    [Fact]
    public void AnUnknownKind_IsRefused() =>
        Only(new DashboardTile("a", (TileKind)7, Chart, null, 0, 0, 1, 1)).ShouldBe(("dashboard.tile_kind_unknown", "tiles[0].kind"));

    [Fact]
    public void DuplicateTileIds_AreRefused_NamingTheSecond() =>
        Only(Viz("a", 0, 0, 1, 1), Viz("b", 1, 0, 1, 1), Viz("a", 2, 0, 1, 1)).ShouldBe(("dashboard.tile_id_duplicate", "tiles[2].id"));

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("<script>")]
    [InlineData("é")]
    public void AMalformedTileId_IsRefused(string id) =>
        Only(Viz(id, 0, 0, 1, 1)).ShouldBe(("dashboard.tile_id_invalid", "tiles[0].id"));

    [Fact]
    public void ANullTile_IsRefused() => Only(Viz("a", 0, 0, 1, 1), null).ShouldBe(("dashboard.tile_missing", "tiles[1]"));

    [Fact]
    public void EveryBrokenRule_IsReported_WithItsTile()
    {
        var errors = DashboardGrid.Check([Viz("a", 0, 0, 4, 4), Viz("a", 30, 0, 1, 1), Viz("c", 1, 1, 1, 1)]);

        errors.Select(e => (e.Code, e.Field)).ShouldBe(
        [
            ("dashboard.tile_id_duplicate", "tiles[1].id"),
            ("dashboard.tile_outside_grid", "tiles[1]"),
            ("dashboard.tiles_overlap", "tiles[2]"),
        ]);
    }
}
