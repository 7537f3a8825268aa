namespace Loupe.Application.Dashboards;

/// <summary>The instance's rules for reading dashboards, from configuration (<c>Dashboards</c> section).</summary>
/// <param name="TileRows">The most rows of its latest result a tile carries in a dashboard answer (its first page).</param>
public sealed record DashboardSettings(int TileRows = DashboardSettings.DefaultTileRows)
{
    public const int DefaultTileRows = 1000;

    public static DashboardSettings Default { get; } = new();
}
