namespace Loupe.Domain.DataSources;

/// <summary>The kind of database a data source connects to; each has one connector.</summary>
public enum DataSourceType
{
    Postgresql,
    Sqlite,
}
