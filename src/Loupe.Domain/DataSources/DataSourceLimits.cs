namespace Loupe.Domain.DataSources;

/// <summary>
/// The instance's bounds for data sources, given by configuration: a data source may not ask for a
/// longer query timeout than this.
/// </summary>
public sealed record DataSourceLimits
{
    public const int DefaultMaxQueryTimeoutSeconds = 3600;

    public DataSourceLimits(int maxQueryTimeoutSeconds = DefaultMaxQueryTimeoutSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxQueryTimeoutSeconds, 1);
        MaxQueryTimeoutSeconds = maxQueryTimeoutSeconds;
    }

    public static DataSourceLimits Default { get; } = new();

    public int MaxQueryTimeoutSeconds { get; }

    /// <summary>The timeout a new data source gets: 300 seconds, or the maximum when that is lower.</summary>
    public int DefaultQueryTimeoutSeconds => Math.Min(DataSource.DefaultQueryTimeoutSeconds, MaxQueryTimeoutSeconds);
}
