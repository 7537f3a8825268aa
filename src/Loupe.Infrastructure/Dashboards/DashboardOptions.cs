namespace Loupe.Infrastructure.Dashboards;

/// <summary>The <c>Dashboards</c> section: how much of its latest result a tile carries, and the cache of dashboard answers (ADR 0056).</summary>
public sealed class DashboardOptions
{
    public const string Section = "Dashboards";

    /// <summary>The most rows of its latest result a tile carries in a dashboard answer (1–10000).</summary>
    public int TileRows { get; set; } = Application.Dashboards.DashboardSettings.DefaultTileRows;

    /// <summary>Memory each API process gives cached dashboard answers, in MiB (0–16384; 0: no cache).</summary>
    public int CacheMegabytes { get; set; } = 256;

    /// <summary>The longest a cached answer is kept without being asked for again, in minutes (1–1440); a change drops it at once anyway.</summary>
    public int CacheMinutes { get; set; } = 30;

    internal IEnumerable<string> Problems()
    {
        if (TileRows is < 1 or > 10_000)
        {
            yield return "Dashboards:TileRows must be between 1 and 10000.";
        }

        if (CacheMegabytes is < 0 or > 16_384)
        {
            yield return "Dashboards:CacheMegabytes must be between 0 and 16384.";
        }

        if (CacheMinutes is < 1 or > 1440)
        {
            yield return "Dashboards:CacheMinutes must be between 1 and 1440.";
        }
    }
}
