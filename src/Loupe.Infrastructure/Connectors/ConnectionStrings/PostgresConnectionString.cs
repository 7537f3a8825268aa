using System.Data.Common;
using Loupe.Domain.Common;
using Loupe.Domain.DataSources;
using Npgsql;

namespace Loupe.Infrastructure.Connectors.ConnectionStrings;

/// <summary>
/// Reads a PostgreSQL connection string a user pastes — a <c>postgresql://user:pass@host:port/db?sslmode=require</c>
/// (or <c>postgres://</c>) URI, or <c>Key=Value;</c> pairs — into <see cref="ConnectionSettings"/> and a password,
/// and builds the driver's connection string back from validated parts with Npgsql's own builder.
/// <para>
/// Allowed keys (any spelling Npgsql accepts): Host/Server, Port, Database/DB, Username/User Id/User Name/UserId/UID,
/// Password/PWD/PSW, SSL Mode (libpq names <c>verify-full</c> or Npgsql's <c>VerifyFull</c>); in a URI only the
/// <c>sslmode</c> parameter. Everything else is refused, naming the key:
/// Timeout, Command Timeout and Application Name because Loupe sets them itself (the query timeout is a data
/// source setting); Options, Search Path, Timezone and encodings because they change the server session
/// (<c>Options=-c default_transaction_read_only=off</c> would undo read-only); Include Error Detail and Log
/// Parameters because they put parameter values into errors and logs; Passfile, SSL Certificate/Key/Password,
/// Root Certificate and Kerberos/GSS settings because they read files or credentials of the Loupe host;
/// Trust Server Certificate and Server Compatibility Mode (obsolete; weaken TLS or the protocol); Target Session
/// Attributes, Load Balance Hosts, Multiplexing and every pool, keepalive and buffer setting because Loupe owns
/// the pool (one bounded pool per data source) and a data source is one host.
/// </para>
/// </summary>
public static class PostgresConnectionString
{
    public const int MaxLength = 4096;
    public const string ApplicationName = "Loupe";
    public const int ConnectTimeoutSeconds = 15;

    private const string Host = "Host";
    private const string Port = "Port";
    private const string Database = "Database";
    private const string Username = "Username";
    private const string Password = "Password";
    private const string SslMode = "SSL Mode";

    /// <summary>Allowed spellings, compared without spaces and case (as Npgsql does), to canonical keys.</summary>
    private static readonly Dictionary<string, string> Allowed = new(StringComparer.Ordinal)
    {
        ["host"] = Host,
        ["server"] = Host,
        ["port"] = Port,
        ["database"] = Database,
        ["db"] = Database,
        ["username"] = Username,
        ["userid"] = Username,
        ["uid"] = Username,
        ["password"] = Password,
        ["pwd"] = Password,
        ["psw"] = Password,
        ["sslmode"] = SslMode,
    };

    private static readonly HashSet<string> SetByLoupe = new(StringComparer.Ordinal) { "timeout", "commandtimeout", "applicationname" };

    public static ConnectionStringParseResult Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return ConnectionStringParseResult.Invalid([ConnectionStringErrors.Required]);
        }

        if (text.Length > MaxLength)
        {
            return ConnectionStringParseResult.Invalid([ConnectionStringErrors.TooLong]);
        }

        try
        {
            var trimmed = text.Trim();
            var schemeEnd = trimmed.IndexOf("://", StringComparison.Ordinal);
            var isUri = schemeEnd > 0
                && char.IsAsciiLetter(trimmed[0])
                && trimmed[..schemeEnd].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.');
            var pairs = isUri ? UriPairs(trimmed, schemeEnd) : KeyValuePairs(trimmed);
            return pairs.Errors.Count > 0 ? ConnectionStringParseResult.Invalid(pairs.Errors) : FromPairs(pairs.Values);
        }
        catch (Exception failure) when (failure is ArgumentException or FormatException or OverflowException or InvalidCastException or InvalidOperationException)
        {
            return ConnectionStringParseResult.Invalid([ConnectionStringErrors.Malformed]);
        }
    }

    /// <summary>
    /// The allowed keys only, as Npgsql writes them (values quoted where needed); <see cref="Parse"/> reads it
    /// back to the same settings and password, except a password ending in a single line feed (the .NET
    /// writer leaves such a value unquoted). For opening connections use <see cref="BuildForConnecting"/>.
    /// </summary>
    public static string Build(ConnectionSettings settings, string? password) => Builder(settings, password).ConnectionString;

    /// <summary>
    /// What a connector opens: the settings plus the keys Loupe owns (connect timeout, command timeout,
    /// application name), as a builder. Use it as it is rather than through its text: .NET writes a
    /// value ending in one line feed unquoted, and reading the text back drops that line feed.
    /// </summary>
    public static NpgsqlConnectionStringBuilder BuildForConnecting(ConnectionSettings settings, string? password, int commandTimeoutSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(commandTimeoutSeconds, 1);
        var builder = Builder(settings, password);
        builder.Timeout = ConnectTimeoutSeconds;
        builder.CommandTimeout = commandTimeoutSeconds;
        builder.ApplicationName = ApplicationName;
        return builder;
    }

    private static NpgsqlConnectionStringBuilder Builder(ConnectionSettings settings, string? password)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Type != DataSourceType.Postgresql)
        {
            throw new ArgumentException("Only PostgreSQL settings make a PostgreSQL connection string.", nameof(settings));
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = settings.Host,
            Port = settings.Port!.Value,
            Database = settings.Database,
            Username = settings.Username,
            SslMode = ToNpgsql(settings.SslMode!.Value),
        };
        if (password is not null)
        {
            builder.Password = password;
        }

        return builder;
    }

    private static Pairs KeyValuePairs(string text)
    {
        var raw = new DbConnectionStringBuilder { ConnectionString = text };
        var pairs = new Pairs();
        foreach (string key in raw.Keys)
        {
            pairs.Add(key, Convert.ToString(raw[key], System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
        }

        return pairs;
    }

    private static Pairs UriPairs(string text, int schemeEnd)
    {
        var scheme = text[..schemeEnd];
        var pairs = new Pairs();
        if (!scheme.Equals("postgresql", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("postgres", StringComparison.OrdinalIgnoreCase))
        {
            pairs.Errors.Add(ConnectionStringErrors.UnsupportedScheme);
            return pairs;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Fragment.Length > 0)
        {
            pairs.Errors.Add(ConnectionStringErrors.Malformed);
            return pairs;
        }

        pairs.Add(Host, uri.Host);
        if (!uri.IsDefaultPort && uri.Port > 0)
        {
            pairs.Add(Port, uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            pairs.Add(Username, Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]));
            if (colon >= 0)
            {
                pairs.Add(Password, Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]));
            }
        }

        var path = uri.AbsolutePath.TrimStart('/');
        if (path.Contains('/', StringComparison.Ordinal))
        {
            pairs.Errors.Add(ConnectionStringErrors.Malformed);
        }
        else if (path.Length > 0)
        {
            pairs.Add(Database, Uri.UnescapeDataString(path));
        }

        foreach (var parameter in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = parameter.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(equals < 0 ? parameter : parameter[..equals]);
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(parameter[(equals + 1)..]);
            if (name == "sslmode")
            {
                pairs.Add(SslMode, value);
            }
            else
            {
                pairs.Errors.Add(ConnectionStringErrors.KeyNotAllowed(name));
            }
        }

        return pairs;
    }

    private static ConnectionStringParseResult FromPairs(IReadOnlyList<(string Key, string Value)> pairs)
    {
        var errors = new List<DomainError>();
        var builder = new NpgsqlConnectionStringBuilder();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            var spelling = string.Concat(key.Where(c => !char.IsWhiteSpace(c))).ToLowerInvariant();
            if (SetByLoupe.Contains(spelling))
            {
                errors.Add(ConnectionStringErrors.KeySetByLoupe(key));
                continue;
            }

            if (!Allowed.TryGetValue(spelling, out var canonical))
            {
                errors.Add(ConnectionStringErrors.KeyNotAllowed(key));
                continue;
            }

            if (!seen.Add(canonical))
            {
                errors.Add(ConnectionStringErrors.KeyRepeated(canonical));
                continue;
            }

            var valueError = Set(builder, canonical, value);
            if (valueError is not null)
            {
                errors.Add(valueError);
            }
        }

        if (errors.Count > 0)
        {
            return ConnectionStringParseResult.Invalid(errors);
        }

        var sslMode = FromNpgsql(builder.SslMode);
        var settingsErrors = ConnectionSettings.CheckPostgresql(builder.Host, builder.Port, builder.Database, builder.Username, sslMode);
        return settingsErrors.Count > 0
            ? ConnectionStringParseResult.Invalid(settingsErrors)
            : ConnectionStringParseResult.Valid(
                ConnectionSettings.Postgresql(builder.Host, builder.Port, builder.Database, builder.Username, sslMode),
                string.IsNullOrEmpty(builder.Password) ? null : builder.Password);
    }

    /// <summary>Lets Npgsql parse the value (after mapping libpq's SSL mode names); a refused value becomes a field error.</summary>
    private static DomainError? Set(NpgsqlConnectionStringBuilder builder, string key, string value)
    {
        if (key == SslMode)
        {
            if (PostgresSslModes.TryParse(value.Trim().ToLowerInvariant(), out var libpqMode))
            {
                builder.SslMode = ToNpgsql(libpqMode);
                return null;
            }

            // Only Npgsql's own names (VerifyFull, …) beyond libpq's; no numbers.
            if (value.Trim().Length == 0 || !value.Trim().All(char.IsAsciiLetter))
            {
                return ConnectionStringErrors.SslModeInvalid;
            }
        }

        try
        {
            builder[key] = value;
            return null;
        }
        catch (Exception refused) when (refused is ArgumentException or FormatException or OverflowException or InvalidCastException)
        {
            return key switch
            {
                Port => ConnectionStringErrors.PortInvalid,
                SslMode => ConnectionStringErrors.SslModeInvalid,
                _ => ConnectionStringErrors.Malformed,
            };
        }
    }

    private static Npgsql.SslMode ToNpgsql(PostgresSslMode mode) => mode switch
    {
        PostgresSslMode.Disable => Npgsql.SslMode.Disable,
        PostgresSslMode.Allow => Npgsql.SslMode.Allow,
        PostgresSslMode.Prefer => Npgsql.SslMode.Prefer,
        PostgresSslMode.Require => Npgsql.SslMode.Require,
        PostgresSslMode.VerifyCa => Npgsql.SslMode.VerifyCA,
        PostgresSslMode.VerifyFull => Npgsql.SslMode.VerifyFull,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown SSL mode."),
    };

    private static PostgresSslMode FromNpgsql(Npgsql.SslMode mode) => mode switch
    {
        Npgsql.SslMode.Disable => PostgresSslMode.Disable,
        Npgsql.SslMode.Allow => PostgresSslMode.Allow,
        Npgsql.SslMode.Prefer => PostgresSslMode.Prefer,
        Npgsql.SslMode.Require => PostgresSslMode.Require,
        Npgsql.SslMode.VerifyCA => PostgresSslMode.VerifyCa,
        Npgsql.SslMode.VerifyFull => PostgresSslMode.VerifyFull,
        _ => (PostgresSslMode)(-1),
    };

    private sealed class Pairs
    {
        public List<(string Key, string Value)> Values { get; } = [];

        public List<DomainError> Errors { get; } = [];

        public void Add(string key, string value) => Values.Add((key, value));
    }
}
