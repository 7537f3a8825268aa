using Loupe.Application.Common.Patching;
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
/// password and ssl_mode (default prefer); SQLite takes path. In a PATCH they merge into the stored
/// ones: <c>null</c> resets <c>port</c> and <c>ssl_mode</c> to their defaults and removes the password.
/// </summary>
public sealed class DataSourceSettingsInput : MergePatchBody
{
    public string? Host { get; init => field = Sent(value); }

    public int? Port { get; init => field = Sent(value); }

    public string? Database { get; init => field = Sent(value); }

    public string? Username { get; init => field = Sent(value); }

    public string? Password { get; init => field = Sent(value); }

    public string? SslMode { get; init => field = Sent(value); }

    public string? Path { get; init => field = Sent(value); }

    /// <summary>The settings of a PATCH with its resets written as values: the default port and SSL mode, "" for no password.</summary>
    internal DataSourceSettingsInput WithResetsApplied() => new()
    {
        Host = Host,
        Port = IsReset(nameof(Port), Port) ? ConnectionSettings.DefaultPort : Port,
        Database = Database,
        Username = Username,
        Password = IsReset(nameof(Password), Password) ? string.Empty : Password,
        SslMode = IsReset(nameof(SslMode), SslMode) ? DefaultSslMode : SslMode,
        Path = Path,
    };

    /// <summary>The required settings sent as <c>null</c>, by their wire path.</summary>
    internal IReadOnlyList<string> RequiredResets() =>
        RequiredReset("settings.", (nameof(Host), Host), (nameof(Database), Database), (nameof(Username), Username), (nameof(Path), Path));

    private const string DefaultSslMode = "prefer";
}

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
