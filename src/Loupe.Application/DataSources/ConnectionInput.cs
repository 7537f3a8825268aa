using Loupe.Application.Common.Connectors;
using Loupe.Application.Common.Exceptions;
using Loupe.Domain.Common;
using Loupe.Domain.DataSources;

namespace Loupe.Application.DataSources;

/// <summary>Turns a connection string or settings into validated settings and a clear-text password, or field errors.</summary>
internal static class ConnectionInput
{
    public static (ConnectionSettings Settings, string? Password) FromConnectionString(
        IDataSourceConnectors connectors, DataSourceType type, string connectionString)
    {
        var parsed = connectors.ConnectorFor(type).Parse(connectionString);
        if (parsed.Errors.Count > 0 || parsed.Settings is null)
        {
            throw Invalid(parsed.Errors);
        }

        return (parsed.Settings, parsed.Password);
    }

    /// <param name="current">When changing settings, the stored ones: fields left out keep their value.</param>
    public static ConnectionSettings FromSettings(DataSourceType type, DataSourceSettingsInput input, ConnectionSettings? current = null)
    {
        if (type == DataSourceType.Sqlite)
        {
            var path = input.Path ?? current?.Path;
            var sqliteErrors = new List<DomainError>(ConnectionSettings.CheckSqlite(path));
            if (!string.IsNullOrEmpty(input.Password))
            {
                sqliteErrors.Add(DataSourceErrors.PasswordNotSupported);
            }

            return sqliteErrors.Count > 0 ? throw Invalid(sqliteErrors) : ConnectionSettings.Sqlite(path);
        }

        var sslMode = current?.SslMode ?? PostgresSslMode.Prefer;
        var errors = new List<DomainError>();
        if (input.SslMode is not null && !PostgresSslModes.TryParse(input.SslMode, out sslMode))
        {
            errors.Add(DataSourceErrors.SslModeUnknown);
            sslMode = PostgresSslMode.Prefer;
        }

        var host = input.Host ?? current?.Host;
        var port = input.Port ?? current?.Port ?? ConnectionSettings.DefaultPort;
        var database = input.Database ?? current?.Database;
        var username = input.Username ?? current?.Username;
        errors.AddRange(ConnectionSettings.CheckPostgresql(host, port, database, username, sslMode));
        if (ConnectionSettings.CheckPassword(input.Password) is { } password)
        {
            errors.Add(password);
        }

        return errors.Count > 0 ? throw Invalid(errors) : ConnectionSettings.Postgresql(host, port, database, username, sslMode);
    }

    public static ValidationFailedException Invalid(IEnumerable<DomainError> errors) =>
        new(errors
            .GroupBy(error => error.Field ?? "body", StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Select(error => error.Message).ToArray(), StringComparer.Ordinal));
}
