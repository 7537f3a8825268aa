using System.Data;
using System.Diagnostics;
using System.Net.Sockets;
using Loupe.Application.Common.Connectors;
using Loupe.Domain.DataSources;
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

    private readonly ILogger<PostgresConnector> _logger;

    public PostgresConnector(ILogger<PostgresConnector> logger, IOptions<DataSourceOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger;
        Pools = new PostgresPools(options.Value.MaxPoolSize);
    }

    public DataSourceType Type => DataSourceType.Postgresql;

    internal PostgresPools Pools { get; }

    public ParsedConnectionString Parse(string? connectionString)
    {
        var parsed = PostgresConnectionString.Parse(connectionString);
        return new ParsedConnectionString(parsed.Settings, parsed.Password, parsed.Errors);
    }

    public async Task<ConnectionCheck> TestAsync(ConnectionTarget target, CancellationToken ct)
    {
        var pool = PoolFor(target);
        var started = Stopwatch.GetTimestamp();
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
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            throw Describe(exception);
        }
    }

    public async Task<DatabaseSchema> ReadSchemaAsync(ConnectionTarget target, CancellationToken ct)
    {
        var pool = PoolFor(target);
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
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            throw Describe(exception);
        }
    }

    public Task<QueryOutcome> ExecuteAsync(ConnectionTarget target, QueryRequest request, IRowSink sink, CancellationToken ct) =>
        ExecuteAsync(PoolFor(target), request, sink, ct);

    public ValueTask ForgetAsync(Guid dataSourceId) => Pools.ForgetAsync(dataSourceId);

    public ValueTask DisposeAsync() => Pools.DisposeAsync();

    /// <summary>The data source's pool, rebuilt when its settings or password changed.</summary>
    internal NpgsqlDataSource PoolFor(ConnectionTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.Settings.Type != DataSourceType.Postgresql)
        {
            throw new ArgumentException("The PostgreSQL connector serves PostgreSQL data sources only.", nameof(target));
        }

        return Pools.For(
            target.DataSourceId,
            PostgresConnectionString.BuildForConnecting(target.Settings, target.Password, CommandTimeoutSeconds),
            target.AllowPrivilegedAccount);
    }

    /// <summary>A failure as a <see cref="QueryExecutionException"/> without connection details: the SQLSTATE when there is one.</summary>
    private QueryExecutionException Describe(Exception exception)
    {
        switch (exception)
        {
            case PostgresException postgres:
                return new QueryExecutionException(postgres.SqlState, postgres.MessageText);
            case TimeoutException:
            case NpgsqlException { InnerException: TimeoutException }:
                return new QueryExecutionException(
                    QueryExecutionException.ConnectionFailedCode,
                    $"The data source did not answer within {PostgresConnectionString.ConnectTimeoutSeconds} seconds.");
            case NpgsqlException { InnerException: SocketException socket }:
                LogConnectionFailure(_logger, socket.SocketErrorCode.ToString());
                return new QueryExecutionException(
                    QueryExecutionException.ConnectionFailedCode, $"The data source could not be reached ({DescribeSocketError(socket.SocketErrorCode)}).");
            case NpgsqlException npgsql:
                LogConnectionFailure(_logger, npgsql.SqlState ?? "none");
                return new QueryExecutionException(QueryExecutionException.ConnectionFailedCode, "The connection to the data source failed or was closed.");
            default:
                return new QueryExecutionException(QueryExecutionException.ConnectionFailedCode, "The connection to the data source failed.");
        }
    }

    private static string DescribeSocketError(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "host not found",
        SocketError.TimedOut => "timed out",
        SocketError.HostUnreachable or SocketError.NetworkUnreachable => "host unreachable",
        SocketError.ConnectionReset => "connection reset",
        _ => "network error",
    };
}
