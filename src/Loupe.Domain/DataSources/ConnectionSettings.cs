using System.Text;
using Loupe.Domain.Common;

namespace Loupe.Domain.DataSources;

/// <summary>
/// Where a data source connects, without its secret: the password is kept apart, encrypted
/// (<see cref="EncryptedSecret"/>). For PostgreSQL: host, port, database, user name and SSL mode;
/// for SQLite: a file path relative to the configured data folder.
/// </summary>
public sealed record ConnectionSettings
{
    public const int DefaultPort = 5432;
    public const int HostMaxLength = 255;

    /// <summary>PostgreSQL's NAMEDATALEN - 1, in UTF-8 bytes.</summary>
    public const int IdentifierMaxLength = 63;

    public const int PathMaxLength = 260;

    /// <summary>
    /// The longest password a data source keeps: far above what a database account takes, and well
    /// below what its encrypted form may hold (<see cref="EncryptedSecret.CipherTextMaxLength"/>).
    /// </summary>
    public const int PasswordMaxLength = 1024;

    /// <summary>Why <paramref name="password"/> cannot be a data source's; null when it can.</summary>
    public static DomainError? CheckPassword(string? password) =>
        password is { Length: > PasswordMaxLength } ? DataSourceErrors.PasswordTooLong : null;

    private ConnectionSettings(
        DataSourceType type, string? host, int? port, string? database, string? username, PostgresSslMode? sslMode, string? path)
    {
        Type = type;
        Host = host;
        Port = port;
        Database = database;
        Username = username;
        SslMode = sslMode;
        Path = path;
    }

    public DataSourceType Type { get; }

    public string? Host { get; }

    public int? Port { get; }

    public string? Database { get; }

    public string? Username { get; }

    public PostgresSslMode? SslMode { get; }

    /// <summary>SQLite only: the database file, relative to the data folder.</summary>
    public string? Path { get; }

    /// <summary>PostgreSQL settings; refuses invalid ones with the first broken rule.</summary>
    public static ConnectionSettings Postgresql(string? host, int port, string? database, string? username, PostgresSslMode sslMode = PostgresSslMode.Prefer)
    {
        var errors = CheckPostgresql(host, port, database, username, sslMode);
        return errors.Count == 0
            ? new ConnectionSettings(DataSourceType.Postgresql, host!.Trim(), port, database, username, sslMode, null)
            : throw new DomainException(errors[0]);
    }

    /// <summary>SQLite settings; refuses absolute paths, '..' and anything that is not a plain relative path.</summary>
    public static ConnectionSettings Sqlite(string? path)
    {
        var errors = CheckSqlite(path);
        return errors.Count == 0
            ? new ConnectionSettings(DataSourceType.Sqlite, null, null, null, null, null, path)
            : throw new DomainException(errors[0]);
    }

    /// <summary>Every broken rule of PostgreSQL settings at once (empty when valid), for field-level answers.</summary>
    public static IReadOnlyList<DomainError> CheckPostgresql(string? host, int port, string? database, string? username, PostgresSslMode sslMode)
    {
        var errors = new List<DomainError>();
        var trimmedHost = host?.Trim() ?? string.Empty;
        if (trimmedHost.Length == 0)
        {
            errors.Add(DataSourceErrors.HostRequired);
        }
        else if (!IsHost(trimmedHost))
        {
            errors.Add(DataSourceErrors.HostInvalid);
        }

        if (port is < 1 or > 65535)
        {
            errors.Add(DataSourceErrors.PortOutOfRange);
        }

        if (string.IsNullOrEmpty(database))
        {
            errors.Add(DataSourceErrors.DatabaseRequired);
        }
        else if (!IsIdentifier(database))
        {
            errors.Add(DataSourceErrors.DatabaseInvalid);
        }

        if (string.IsNullOrEmpty(username))
        {
            errors.Add(DataSourceErrors.UsernameRequired);
        }
        else if (!IsIdentifier(username))
        {
            errors.Add(DataSourceErrors.UsernameInvalid);
        }

        if (!Enum.IsDefined(sslMode))
        {
            errors.Add(DataSourceErrors.SslModeUnknown);
        }

        return errors;
    }

    public static IReadOnlyList<DomainError> CheckSqlite(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return [DataSourceErrors.PathRequired];
        }

        return IsRelativePath(path) ? [] : [DataSourceErrors.PathInvalid];
    }

    /// <summary>One DNS name or IP literal: no list of hosts, no Unix socket path, no spaces.</summary>
    private static bool IsHost(string host) =>
        host.Length <= HostMaxLength
        && host.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or ':' or '[' or ']');

    /// <summary>A PostgreSQL name: any printable text of at most 63 UTF-8 bytes, without surrounding blanks.</summary>
    private static bool IsIdentifier(string name) =>
        name.Trim().Length == name.Length
        && !name.Any(char.IsControl)
        && IsWellFormed(name)
        && Encoding.UTF8.GetByteCount(name) <= IdentifierMaxLength;

    private static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsRelativePath(string path) =>
        path.Length <= PathMaxLength
        && !path.Any(c => char.IsControl(c) || c is '\\' or ':' or '*' or '?' or '"' or '<' or '>' or '|')
        && !path.StartsWith('/')
        && !path.StartsWith('~')
        && path.Split('/').All(part => part.Length > 0 && part != "." && part != ".." && part.Trim().Length == part.Length)
        && IsWellFormed(path);
}
