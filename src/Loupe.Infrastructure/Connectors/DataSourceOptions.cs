namespace Loupe.Infrastructure.Connectors;

/// <summary>The <c>DataSources</c> section: bounds for every data source and where SQLite files live.</summary>
public sealed class DataSourceOptions
{
    public const string Section = "DataSources";

    /// <summary>The longest query timeout a data source may ask for, in seconds (1–86400).</summary>
    public int MaxQueryTimeoutSeconds { get; set; } = 3600;

    /// <summary>Connections one data source's pool may open on one node (1–100).</summary>
    public int MaxPoolSize { get; set; } = Postgres.PostgresPools.DefaultMaxPoolSize;

    /// <summary>How long a read schema is served from memory before it is read again (0–1440; 0 never caches).</summary>
    public int SchemaCacheMinutes { get; set; } = 10;

    /// <summary>The folder SQLite data sources' files must be inside; none means SQLite files cannot be opened.</summary>
    public string? SqliteFolder { get; set; }

    /// <summary>
    /// Hosts on this machine (loopback, 0.0.0.0, ::) a data source may point at outside the Development
    /// environment: host names, addresses in any spelling, or networks such as <c>127.0.0.0/8</c>.
    /// Empty by default. Link-local and cloud metadata addresses are refused whatever this says (ADR 0027).
    /// </summary>
    public IList<string> AllowedHosts { get; } = [];

    /// <summary>The host policy of this process: local hosts are allowed in Development, and those listed anywhere.</summary>
    internal Domain.DataSources.HostPolicy HostPolicy(bool development) => new(development, AllowedHosts);

    internal IEnumerable<string> Problems()
    {
        foreach (var entry in AllowedHosts)
        {
            if (string.IsNullOrWhiteSpace(entry) || entry.Trim().Length > Domain.DataSources.ConnectionSettings.HostMaxLength
                || (entry.Contains('/', StringComparison.Ordinal) && !Domain.DataSources.HostPolicy.TryParseEntry(entry.Trim(), out _)))
            {
                yield return $"DataSources:AllowedHosts entries are host names, addresses or networks (address/prefix); '{entry}' is none of them.";
            }
        }

        if (MaxQueryTimeoutSeconds is < 1 or > 86_400)
        {
            yield return "DataSources:MaxQueryTimeoutSeconds must be between 1 and 86400.";
        }

        if (MaxPoolSize is < 1 or > 100)
        {
            yield return "DataSources:MaxPoolSize must be between 1 and 100.";
        }

        if (SchemaCacheMinutes is < 0 or > 1440)
        {
            yield return "DataSources:SchemaCacheMinutes must be between 0 and 1440.";
        }

        if (SqliteFolder is not null && !Path.IsPathFullyQualified(SqliteFolder))
        {
            yield return "DataSources:SqliteFolder must be an absolute path.";
        }
    }
}
