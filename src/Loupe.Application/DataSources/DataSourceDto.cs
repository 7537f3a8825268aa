using Loupe.Domain.DataSources;

namespace Loupe.Application.DataSources;

/// <summary>A data source as answered: its settings without the password, and only whether there is one.</summary>
public sealed record DataSourceDto(
    Guid Id,
    string Name,
    string Type,
    DataSourceSettingsDto Settings,
    bool HasPassword,
    int QueryTimeoutSeconds,
    int MaxRows,
    bool AllowPrivilegedAccount,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>Where a data source connects; never the password.</summary>
public sealed record DataSourceSettingsDto(string? Host, int? Port, string? Database, string? Username, string? SslMode, string? Path);

/// <summary>
/// Connection settings as sent: PostgreSQL takes host, port (default 5432), database, username,
/// password and ssl_mode (default prefer); SQLite takes path.
/// </summary>
public sealed record DataSourceSettingsInput(
    string? Host = null, int? Port = null, string? Database = null, string? Username = null, string? Password = null, string? SslMode = null, string? Path = null);

/// <summary>The wire names of <see cref="DataSourceType"/>.</summary>
internal static class DataSourceTypes
{
    public const string Postgresql = "postgresql";
    public const string Sqlite = "sqlite";

    public static string ToName(DataSourceType type) => type == DataSourceType.Sqlite ? Sqlite : Postgresql;

    public static DataSourceType? Parse(string? name) => name switch
    {
        Postgresql => DataSourceType.Postgresql,
        Sqlite => DataSourceType.Sqlite,
        _ => null,
    };
}
