namespace Loupe.Domain.Dashboards;

/// <summary>What a tile shows: a saved visualization, or Markdown text.</summary>
public enum TileKind
{
    Visualization,
    Text,
}

/// <summary>
/// One tile of a dashboard on its 24-column grid: the cell of its top-left corner
/// (<see cref="X"/> a column from 0, <see cref="Y"/> a row from 0) and its size in columns and rows.
/// A visualization tile names its visualization; a text tile holds Markdown as written. The rules
/// a set of tiles obeys are <see cref="DashboardGrid.Check"/>'s.
/// </summary>
/// <param name="Id">Chosen by the client, unique in the dashboard; parameter mappings name it.</param>
public sealed record DashboardTile(string Id, TileKind Kind, Guid? VisualizationId, string? Text, int X, int Y, int W, int H)
{
    public static DashboardTile OfVisualization(string id, Guid visualizationId, int x, int y, int w, int h) =>
        new(id, TileKind.Visualization, visualizationId, null, x, y, w, h);

    public static DashboardTile OfText(string id, string text, int x, int y, int w, int h) =>
        new(id, TileKind.Text, null, text, x, y, w, h);

    /// <summary>Whether the two tiles share at least one cell.</summary>
    public bool Overlaps(DashboardTile other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return X < other.X + other.W && other.X < X + W && Y < other.Y + other.H && other.Y < Y + H;
    }
}
