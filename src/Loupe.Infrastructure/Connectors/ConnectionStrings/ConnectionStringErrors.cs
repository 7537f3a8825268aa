using Loupe.Domain.Common;

namespace Loupe.Infrastructure.Connectors.ConnectionStrings;

public static class ConnectionStringErrors
{
    public const string Field = "connection_string";

    public static readonly DomainError Required =
        DomainError.Validation("connection_string.required", Field, "A connection string is required.");

    public static readonly DomainError TooLong =
        DomainError.Validation("connection_string.too_long", Field, $"A connection string has at most {PostgresConnectionString.MaxLength} characters.");

    public static readonly DomainError Malformed =
        DomainError.Validation("connection_string.malformed", Field, "The connection string is neither a postgresql:// URI nor 'Key=Value;' pairs.");

    public static readonly DomainError UnsupportedScheme =
        DomainError.Validation("connection_string.unsupported_scheme", Field, "Only postgresql:// and postgres:// URIs are accepted.");

    public static readonly DomainError PortInvalid =
        DomainError.Validation("connection_string.port_invalid", "settings.port", "The port is a number between 1 and 65535.");

    public static readonly DomainError SslModeInvalid =
        DomainError.Validation(
            "connection_string.ssl_mode_invalid",
            "settings.ssl_mode",
            "The SSL mode is one of disable, allow, prefer, require, verify-ca, verify-full.");

    public static DomainError KeyNotAllowed(string key) =>
        DomainError.Validation(
            "connection_string.key_not_allowed",
            Field,
            $"The key '{key}' is not allowed. Allowed: Host, Port, Database, Username, Password, SSL Mode.");

    public static DomainError KeySetByLoupe(string key) =>
        DomainError.Validation(
            "connection_string.key_set_by_loupe",
            Field,
            $"The key '{key}' is set by Loupe (the query timeout is a data source setting); remove it.");

    public static DomainError KeyRepeated(string key) =>
        DomainError.Validation("connection_string.key_repeated", Field, $"'{key}' is given more than once.");
}
