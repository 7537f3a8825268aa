using Loupe.Domain.Common;

namespace Loupe.Domain.Dashboards;

/// <summary>
/// The rules of a dashboard's tiles: at most <see cref="MaxTiles"/>; each inside the
/// <see cref="Columns"/>-column grid (no negative cell, <c>x + w</c> at most 24, <c>y + h</c> at
/// most <see cref="MaxRows"/>), at least one column wide and one row high; ids unique and well
/// formed; a visualization tile names its visualization and has no text, a text tile has text (at
/// most <see cref="TextMaxLength"/> characters) and no visualization; no two tiles share a cell.
/// Each error names the tile it is about (<c>tiles[3]</c>).
/// </summary>
public static class DashboardGrid
{
    public const int Columns = 24;

    /// <summary>A bound on rows, so that coordinates never overflow; far more than any screen.</summary>
    public const int MaxRows = 10_000;

    public const int MaxTiles = 100;
    public const int TileIdMaxLength = 64;
    public const int TextMaxLength = 20_000;

    /// <summary>Every broken rule (empty when the tiles are valid), in the order of the tiles.</summary>
    public static IReadOnlyList<DomainError> Check(IReadOnlyList<DashboardTile?> tiles)
    {
        ArgumentNullException.ThrowIfNull(tiles);
        if (tiles.Count > MaxTiles)
        {
            return [DashboardErrors.TooManyTiles];
        }

        var errors = new List<DomainError>();
        var seenIds = new HashSet<string>(StringComparer.Ordinal);
        var placed = new List<(int Index, DashboardTile Tile)>();
        for (var i = 0; i < tiles.Count; i++)
        {
            var field = $"tiles[{i}]";
            if (tiles[i] is not { } tile)
            {
                errors.Add(DashboardErrors.TileMissing(field));
                continue;
            }

            var before = errors.Count;
            if (!IsTileId(tile.Id))
            {
                errors.Add(DashboardErrors.TileIdInvalid($"{field}.id"));
            }
            else if (!seenIds.Add(tile.Id))
            {
                errors.Add(DashboardErrors.TileIdDuplicate($"{field}.id", tile.Id));
            }

            CheckContent(tile, field, errors);
            var sized = true;
            if (tile.W < 1 || tile.H < 1)
            {
                errors.Add(DashboardErrors.TileTooSmall(field));
                sized = false;
            }

            if (tile.X < 0 || tile.Y < 0 || (sized && ((long)tile.X + tile.W > Columns || (long)tile.Y + tile.H > MaxRows)))
            {
                errors.Add(DashboardErrors.TileOutsideGrid(field));
                sized = false;
            }

            if (sized && errors.Count == before)
            {
                if (placed.Find(p => p.Tile.Overlaps(tile)) is { Tile: not null } other)
                {
                    errors.Add(DashboardErrors.TilesOverlap(field, tile.Id, other.Tile.Id));
                }

                placed.Add((i, tile));
            }
        }

        return errors;
    }

    /// <summary>1 to 64 ASCII letters, digits, '_' or '-'.</summary>
    public static bool IsTileId(string? id) =>
        id is { Length: > 0 and <= TileIdMaxLength } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    private static void CheckContent(DashboardTile tile, string field, List<DomainError> errors)
    {
        switch (tile.Kind)
        {
            case TileKind.Visualization:
                if (tile.VisualizationId is null || tile.VisualizationId == Guid.Empty)
                {
                    errors.Add(DashboardErrors.VisualizationRequired($"{field}.visualization_id"));
                }

                if (tile.Text is not null)
                {
                    errors.Add(DashboardErrors.TextNotAllowed($"{field}.text"));
                }

                break;
            case TileKind.Text:
                if (string.IsNullOrWhiteSpace(tile.Text))
                {
                    errors.Add(DashboardErrors.TextRequired($"{field}.text"));
                }
                else if (tile.Text.Length > TextMaxLength || tile.Text.Contains('\0', StringComparison.Ordinal))
                {
                    errors.Add(DashboardErrors.TextTooLong($"{field}.text"));
                }

                if (tile.VisualizationId is not null)
                {
                    errors.Add(DashboardErrors.VisualizationNotAllowed($"{field}.visualization_id"));
                }

                break;
            default:
                errors.Add(DashboardErrors.TileKindUnknown($"{field}.kind"));
                break;
        }
    }
}
