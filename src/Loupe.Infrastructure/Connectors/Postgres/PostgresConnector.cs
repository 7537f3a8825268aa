using System.Data;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Loupe.Application.Common.Connectors;
using Loupe.Domain.Common;
using Loupe.Domain.DataSources;
using Loupe.Domain.Runs;
using Loupe.Infrastructure.Connectors.ConnectionStrings;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Loupe.Infrastructure.Connectors.Postgres;

/// <summary>
/// The <c>postgresql</c> connector: connection strings read by <see cref="PostgresConnectionString"/>, one
/// bounded pool per data source (<see cref="PostgresPools"/>), connection tests, the catalog as a schema,
/// and queries under the execution guard (the other part of this class).
/// </summary>
internal sealed partial class PostgresConnector : IDataSourceConnector, IAsyncDisposable
{
    /// <summary>The client-side timeout of Loupe's own short commands (test, schema); guarded runs set their own.</summary>
    private const int CommandTimeoutSeconds = 30;

    private static readonly TimeSpan CatalogTimeout = TimeSpan.FromSeconds(CommandTimeoutSeconds);

    /// <summary>Loupe's code for a connection refused because the host's address is not allowed (ADR 0027).</summary>
    public const string HostRefusedCode = LoupeErrorCodes.HostRefused;

    private readonly ILogger<PostgresConnector> _logger;
    private readonly HostPolicy _hostPolicy;
    private readonly IHostResolver _resolver;

    public PostgresConnector(ILogger<PostgresConnector> logger, IOptions<DataSourceOptions> options, HostPolicy hostPolicy, IHostResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger;
        _hostPolicy = hostPolicy;
        _resolver = resolver;
        Pools = new PostgresPools(options.Value.MaxPoolSize);
    }

    public DataSourceType Type => DataSourceType.Postgresql;

    /// <summary>
    /// What <c>ConnectionSettings.Postgresql</c> checks and the connection string reader fills in: the
    /// defaults and bounds are the same constants.
    /// </summary>
    public IReadOnlyList<ConnectorSetting> Settings { get; } =
    [
        new("host", ConnectorSettingType.Text, Required: true, "The server's DNS name or IP address (one host).", MaxLength: ConnectionSettings.HostMaxLength),
        new("port", ConnectorSettingType.WholeNumber, Required: false, "The server's TCP port.", Default: ConnectionSettings.DefaultPort, Minimum: 1, Maximum: 65535),
        new("database", ConnectorSettingType.Text, Required: true, "The database to connect to.", MaxLength: ConnectionSettings.IdentifierMaxLength),
        new("username", ConnectorSettingType.Text, Required: true, "The database account; a read-only account is best.", MaxLength: ConnectionSettings.IdentifierMaxLength),
        new("password", ConnectorSettingType.Text, Required: false, "The account's password: stored encrypted, never answered.", Secret: true),
        new("ssl_mode", ConnectorSettingType.Text, Required: false, "How the connection uses TLS (libpq's sslmode).",
            Default: PostgresSslMode.Prefer.ToName(), AllowedValues: [.. PostgresSslModes.Names]),
    ];

    internal PostgresPools Pools { get; }

    public ParsedConnectionString Parse(string? connectionString)
    {
        var parsed = PostgresConnectionString.Parse(connectionString);
        return new ParsedConnectionString(parsed.Settings, parsed.Password, parsed.Errors);
    }

    public async Task<ConnectionCheck> TestAsync(ConnectionTarget target, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var pool = await PoolForAsync(target, ct).ConfigureAwait(false);
        try
        {
            await using var connection = await pool.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
            var latency = Stopwatch.GetElapsedTime(started);
            var version = connection.PostgresParameters.TryGetValue("server_version", out var reported) ? reported : connection.ServerVersion;

            // Opening refused a privileged account unless it is allowed; an allowed one is named here.
            var privileges = await PostgresAccount.ReadPrivilegesAsync(connection, ct).ConfigureAwait(false);
            string[] warnings = privileges.Count > 0
                ? [$"The account is privileged ({string.Join(", ", privileges)}) and an admin allowed it for this data source. Queries still run read-only under the guard{(IsSuperuser(connection) ? " as pg_read_all_data" : string.Empty)}, but an account that can only read is safer."]
                : [];
            return new ConnectionCheck($"PostgreSQL {version}", latency, warnings);
        }
        catch (Exception exception) when (IsConnectionFailure(exception, ct))
        {
            throw Describe(exception);
        }
    }

    public async Task<DatabaseSchema> ReadSchemaAsync(ConnectionTarget target, CancellationToken ct)
    {
        var pool = await PoolForAsync(target, ct).ConfigureAwait(false);
        try
        {
            await using var connection = await pool.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct).ConfigureAwait(false);
            await using var command = Batch(connection, transaction);
            Prepend(command, GuardCommands(IsSuperuser(connection), CatalogTimeout));
            command.BatchCommands.Add(new NpgsqlBatchCommand(PostgresCatalog.SchemaSql));
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var schema = await PostgresCatalog.ReadAsync(reader, ct).ConfigureAwait(false);
            await reader.DisposeAsync().ConfigureAwait(false);
            await transaction.RollbackAsync(ct).ConfigureAwait(false);
            return schema;
        }
        catch (Exception exception) when (IsConnectionFailure(exception, ct))
        {
            throw Describe(exception);
        }
    }

    public async Task<QueryOutcome> ExecuteAsync(ConnectionTarget target, QueryRequest request, IRowSink sink, CancellationToken ct) =>
        await ExecuteAsync(await PoolForAsync(target, ct).ConfigureAwait(false), request, sink, ct).ConfigureAwait(false);

    public ValueTask ForgetAsync(Guid dataSourceId) => Pools.ForgetAsync(dataSourceId);

    public ValueTask DisposeAsync() => Pools.DisposeAsync();

    /// <summary>
    /// The data source's pool, rebuilt when its settings, password or address changed. The host is
    /// resolved here, every address checked against the <see cref="HostPolicy"/>, and the pool connects
    /// to ONE checked address: Npgsql is given the address itself, so what was checked is what is
    /// connected to (a name that resolves elsewhere a moment later — DNS rebinding — is never looked up
    /// again by Npgsql), and a single host keeps Npgsql's cancellation, which sends the cancel request
    /// to the same endpoint, working. TLS still verifies the certificate against the name (ADR 0027).
    /// </summary>
    /// <exception cref="QueryExecutionException">The host is refused (<see cref="HostRefusedCode"/>) or does not resolve (08000).</exception>
    internal async Task<NpgsqlDataSource> PoolForAsync(ConnectionTarget target, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.Settings.Type != DataSourceType.Postgresql)
        {
            throw new ArgumentException("The PostgreSQL connector serves PostgreSQL data sources only.", nameof(target));
        }

        var host = target.Settings.Host!;
        var address = await CheckedAddressAsync(host, ct).ConfigureAwait(false);
        var settings = PostgresConnectionString.BuildForConnecting(target.Settings, target.Password, CommandTimeoutSeconds);
        settings.Host = address.ToString();
        var tlsHost = HostAddresses.TryParseLiteral(host, out _) ? null : host;
        return Pools.For(target.DataSourceId, settings, target.AllowPrivilegedAccount, tlsHost);
    }

    private async Task<IPAddress> CheckedAddressAsync(string host, CancellationToken ct)
    {
        if (_hostPolicy.CheckHost(host) is { } refusedHost)
        {
            throw Refused(refusedHost);
        }

        IReadOnlyList<IPAddress> addresses;
        if (HostAddresses.TryParseLiteral(host, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await _resolver.ResolveAsync(host, ct).ConfigureAwait(false);
            }
            catch (SocketException failure)
            {
                LogConnectFailed(_logger, $"name resolution: {failure.SocketErrorCode}");
                throw CouldNotConnect();
            }
        }

        if (addresses.Count == 0)
        {
            throw CouldNotConnect();
        }

        foreach (var address in addresses)
        {
            if (_hostPolicy.CheckAddress(host, address) is { } refused)
            {
                throw Refused(refused);
            }
        }

        return HostAddresses.Normalize(addresses[0]);
    }

    private QueryExecutionException Refused(DomainError refusal)
    {
        LogHostRefused(_logger, refusal.Code);
        return new QueryExecutionException(HostRefusedCode, $"Loupe does not connect to this data source's host ({refusal.Code}): {refusal.Message}");
    }

    private static QueryExecutionException CouldNotConnect() =>
        new(QueryExecutionException.ConnectionFailedCode, "Could not connect to the data source.");

    private static bool IsConnectionFailure(Exception exception, CancellationToken ct) =>
        exception is not QueryExecutionException && !(exception is OperationCanceledException && ct.IsCancellationRequested);

    /// <summary>
    /// A failure as a <see cref="QueryExecutionException"/>: the SQLSTATE and message when the server
    /// answered; otherwise one message for every way a connection fails (refused, timed out,
    /// unreachable, reset, TLS), so the answer cannot be used to map a network. The kind goes to the log.
    /// </summary>
    private QueryExecutionException Describe(Exception exception)
    {
        switch (exception)
        {
            case PostgresException postgres:
                return new QueryExecutionException(postgres.SqlState, postgres.MessageText);
            case NpgsqlException { InnerException: SocketException socket }:
                LogConnectFailed(_logger, socket.SocketErrorCode.ToString());
                return CouldNotConnect();
            case NpgsqlException npgsql:
                LogConnectFailed(_logger, npgsql.InnerException?.GetType().Name ?? npgsql.SqlState ?? "none");
                return CouldNotConnect();
            default:
                LogConnectFailed(_logger, exception.GetType().Name);
                return CouldNotConnect();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connecting to a data source failed ({Reason})")]
    private static partial void LogConnectFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A data source's host was refused at connect time ({Code})")]
    private static partial void LogHostRefused(ILogger logger, string code);
}
