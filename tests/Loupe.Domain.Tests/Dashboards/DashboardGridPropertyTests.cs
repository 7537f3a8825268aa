using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Domain.Dashboards;

namespace Loupe.Domain.Tests.Dashboards;

public sealed class DashboardGridPropertyTests
{
    private static readonly Guid Chart = Guid.CreateVersion7();

    /// <summary>
    /// Tiles that never overlap and stay inside the grid, by construction: placed left to right in
    /// bands, a gap before each, a new band below the tallest tile of the last one when a row is full.
    /// </summary>
    private static readonly Gen<DashboardTile[]> Layouts =
        Gen.Choose(1, DashboardGrid.Columns)
            .SelectMany(w => Gen.Choose(0, 4).SelectMany(gap => Gen.Choose(1, 6).Select(h => (W: w, Gap: gap, H: h))))
            .ArrayOf()
            .Select(shapes => Place(shapes.Take(DashboardGrid.MaxTiles)));

    private static DashboardTile[] Place(IEnumerable<(int W, int Gap, int H)> shapes)
    {
        var tiles = new List<DashboardTile>();
        int x = 0, top = 0, bandHeight = 0;
        foreach (var (w, gap, h) in shapes)
        {
            if (x + gap + w > DashboardGrid.Columns)
            {
                (x, top, bandHeight) = (0, top + bandHeight, 0);
            }
            else
            {
                x += gap;
            }

            tiles.Add(tiles.Count % 3 == 0
                ? DashboardTile.OfText($"t{tiles.Count}", "# Notes", x, top, w, h)
                : DashboardTile.OfVisualization($"t{tiles.Count}", Chart, x, top, w, h));
            x += w;
            bandHeight = Math.Max(bandHeight, h);
        }

        return [.. tiles];
    }

    [Property]
    public Property AnyNonOverlappingTilesInsideTheGrid_AreAccepted() =>
        Prop.ForAll(Layouts.ToArbitrary(), tiles => DashboardGrid.Check(tiles).Count == 0);

    [Property]
    public Property AnOverlap_IsRefused_NamingTheLaterTileAndTheOtherOne()
    {
        // Room for the intruder: a full dashboard would also be refused as one tile too many.
        var cases = Layouts.Where(tiles => tiles.Length is > 0 and < DashboardGrid.MaxTiles)
            .SelectMany(tiles => Gen.Choose(0, tiles.Length - 1)
                .SelectMany(target => Gen.Choose(0, tiles[target].W - 1)
                    .SelectMany(dx => Gen.Choose(0, tiles[target].H - 1)
                        .SelectMany(dy => Gen.Choose(0, tiles.Length)
                            .Select(at => (Tiles: tiles, Target: target, Dx: dx, Dy: dy, At: at))))));

        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var target = c.Tiles[c.Target];
            var intruder = DashboardTile.OfVisualization("intruder", Chart, target.X + c.Dx, target.Y + c.Dy, 1, 1);
            var tiles = c.Tiles.ToList();
            tiles.Insert(c.At, intruder);
            var targetIndex = tiles.IndexOf(target);
            var later = Math.Max(c.At, targetIndex);

            var errors = DashboardGrid.Check(tiles);

            return errors.Count == 1
                && errors[0].Code == "dashboard.tiles_overlap"
                && errors[0].Field == $"tiles[{later}]"
                && errors[0].Message.Contains(later == c.At ? $"'{target.Id}'" : "'intruder'", StringComparison.Ordinal);
        });
    }

    [Property]
    public Property ATileMovedOutOfTheGrid_IsRefused_NamingIt()
    {
        var cases = Layouts.Where(tiles => tiles.Length > 0)
            .SelectMany(tiles => Gen.Choose(0, tiles.Length - 1)
                .SelectMany(index => Gen.Choose(0, 2)
                    .SelectMany(way => Gen.Choose(1, 1_000).Select(by => (Tiles: tiles, Index: index, Way: way, By: by)))));

        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var tile = c.Tiles[c.Index];
            var moved = c.Way switch
            {
                0 => tile with { X = -c.By },
                1 => tile with { Y = -c.By },
                _ => tile with { X = DashboardGrid.Columns - tile.W + c.By },
            };
            var tiles = c.Tiles.ToArray();
            tiles[c.Index] = moved;

            var errors = DashboardGrid.Check(tiles);

            return errors.Count == 1 && errors[0].Code == "dashboard.tile_outside_grid" && errors[0].Field == $"tiles[{c.Index}]";
        });
    }

    [Property]
    public Property WhateverIsAccepted_IsInsideTheGridAndFreeOfOverlaps()
    {
        var coordinate = Gen.Choose(-3, 30);
        var tiles = coordinate.SelectMany(x => coordinate.SelectMany(y => Gen.Choose(-1, 8).SelectMany(w => Gen.Choose(-1, 8).Select(h => (x, y, w, h)))))
            .ArrayOf()
            .Select(shapes => shapes.Select((s, i) => DashboardTile.OfVisualization($"t{i}", Chart, s.x, s.y, s.w, s.h)).ToArray());

        return Prop.ForAll(tiles.ToArbitrary(), layout =>
        {
            var errors = DashboardGrid.Check(layout);
            var inside = layout.All(t => t.X >= 0 && t.Y >= 0 && t.W >= 1 && t.H >= 1 && t.X + t.W <= DashboardGrid.Columns);
            var free = layout.SelectMany((a, i) => layout.Skip(i + 1).Select(b => !a.Overlaps(b))).All(ok => ok);
            return (errors.Count == 0) == (inside && free && layout.Length <= DashboardGrid.MaxTiles)
                && errors.All(e => e.Code.StartsWith("dashboard.", StringComparison.Ordinal) && e.Field is not null);
        });
    }

    [Property]
    public Property OverlapsIsSymmetric_AndTrueOfEveryTileWithItself()
    {
        var tile = Gen.Choose(0, 20).SelectMany(x => Gen.Choose(0, 20).SelectMany(y => Gen.Choose(1, 6).SelectMany(w => Gen.Choose(1, 6)
            .Select(h => DashboardTile.OfVisualization("a", Chart, x, y, w, h)))));
        var pairs = tile.SelectMany(a => tile.Select(b => (A: a, B: b)));

        return Prop.ForAll(pairs.ToArbitrary(), p => p.A.Overlaps(p.B) == p.B.Overlaps(p.A) && p.A.Overlaps(p.A));
    }
}
