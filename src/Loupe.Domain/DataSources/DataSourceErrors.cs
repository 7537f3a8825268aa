using Loupe.Domain.Common;

namespace Loupe.Domain.DataSources;

public static class DataSourceErrors
{
    public static readonly DomainError NameRequired =
        DomainError.Validation("datasource.name_required", "name", "A name is required.");

    public static readonly DomainError NameTooLong =
        DomainError.Validation("datasource.name_too_long", "name", $"A name has at most {DataSource.NameMaxLength} characters.");

    public static readonly DomainError HostRequired =
        DomainError.Validation("datasource.host_required", "settings.host", "A host is required.");

    public static readonly DomainError HostInvalid =
        DomainError.Validation(
            "datasource.host_invalid",
            "settings.host",
            $"A host is one DNS name or IP address of at most {ConnectionSettings.HostMaxLength} characters (letters, digits, '.', '-', '_', ':', '[', ']').");

    public static readonly DomainError PortOutOfRange =
        DomainError.Validation("datasource.port_out_of_range", "settings.port", "A port is between 1 and 65535.");

    public static readonly DomainError DatabaseRequired =
        DomainError.Validation("datasource.database_required", "settings.database", "A database name is required.");

    public static readonly DomainError DatabaseInvalid =
        DomainError.Validation(
            "datasource.database_invalid",
            "settings.database",
            $"A database name has at most {ConnectionSettings.IdentifierMaxLength} characters and no control characters.");

    public static readonly DomainError UsernameRequired =
        DomainError.Validation("datasource.username_required", "settings.username", "A user name is required.");

    public static readonly DomainError UsernameInvalid =
        DomainError.Validation(
            "datasource.username_invalid",
            "settings.username",
            $"A user name has at most {ConnectionSettings.IdentifierMaxLength} characters and no control characters.");

    public static readonly DomainError SslModeUnknown =
        DomainError.Validation(
            "datasource.ssl_mode_unknown",
            "settings.ssl_mode",
            "The SSL mode is one of disable, allow, prefer, require, verify-ca, verify-full.");

    public static readonly DomainError PathRequired =
        DomainError.Validation("datasource.path_required", "settings.path", "A file path is required.");

    public static readonly DomainError PathInvalid =
        DomainError.Validation(
            "datasource.path_invalid",
            "settings.path",
            $"A file path is relative to the data folder: at most {ConnectionSettings.PathMaxLength} characters, '/' between parts, no '..', no drive or scheme.");

    public static readonly DomainError MaxRowsOutOfRange =
        DomainError.Validation(
            "datasource.max_rows_out_of_range",
            "max_rows",
            $"The row limit is between 1 and {DataSource.MaxRowsLimit:N0}.");

    public static readonly DomainError PasswordNotSupported =
        DomainError.Validation("datasource.password_not_supported", "password", "This type of data source takes no password.");

    public static readonly DomainError PasswordTooLong =
        DomainError.Validation(
            "datasource.password_too_long", "settings.password", $"A password has at most {ConnectionSettings.PasswordMaxLength} characters.");

    public static readonly DomainError TypeCannotChange =
        DomainError.Validation("datasource.type_cannot_change", "type", "A data source keeps its type: create a new data source instead.");

    /// <summary>New connection settings would take the stored password somewhere else.</summary>
    public static readonly DomainError PasswordRequired =
        DomainError.Unprocessable(
            "datasource.password_required",
            "The connection settings change where the stored password would be sent (host, port, database, user name, SSL mode or file path): give the password again in settings.password, or \"\" to remove it.");

    public static DomainError QueryTimeoutOutOfRange(int maxSeconds) =>
        DomainError.Validation(
            "datasource.query_timeout_out_of_range",
            "query_timeout_seconds",
            $"The query timeout is between 1 and {maxSeconds} seconds.");

    public static DomainError NameTaken(string name) =>
        DomainError.Conflict("datasource.name_taken", $"A data source named '{name}' already exists.");

    /// <summary>Saved queries still read from the data source, so it cannot be deleted.</summary>
    public static DomainError InUse(int used, int archived)
    {
        var queries = used == 1 ? "1 saved query uses" : $"{used} saved queries use";
        var archivedNote = archived == 0 ? string.Empty : $" ({archived} of them archived: restore those to change them)";
        return DomainError.Conflict("datasource.in_use", $"{queries} this data source{archivedNote}. Point them at another data source first.");
    }
}
