using System.Data;
using System.Globalization;
using Loupe.Application.Common.Connectors;
using Loupe.Domain.Common;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Loupe.Infrastructure.Connectors.Postgres;

/// <summary>
/// The execution guard for PostgreSQL data sources (ADRs 0020, 0026). Every run is one read-only
/// transaction with local statement, lock and idle timeouts that is always rolled back. The SQL is
/// sent as a single protocol message (so PostgreSQL itself refuses a second statement) and, unless it
/// is an EXPLAIN or SHOW, as the query of a cursor, so the server accepts only a SELECT-like query:
/// COPY, DO, CALL, SET, transaction control and every other utility statement are refused even when
/// the data source account is a superuser. A superuser account runs the transaction as
/// <c>pg_read_all_data</c> (PostgreSQL 14+), so server-file and signalling functions are refused too.
/// </summary>
internal sealed partial class PostgresConnector
{
    private const string CursorName = "loupe_guard";

    /// <summary>What precedes the SQL in the statement that runs it through a cursor (ASCII: its length is its length in characters).</summary>
    private const string CursorDeclaration = "DECLARE " + CursorName + " NO SCROLL CURSOR WITHOUT HOLD FOR\n";
    private const string ReadAllDataRole = "pg_read_all_data";
    private const int FetchChunk = 500;
    private static readonly TimeSpan LockTimeoutCap = TimeSpan.FromSeconds(5);

    /// <summary>How long ending an orphaned query may take before it is left to the server's own timeouts.</summary>
    private static readonly TimeSpan OrphanCleanupLimit = TimeSpan.FromSeconds(5);

    /// <summary>How long past the statement timeout an open transaction may sit idle before the server ends the session.</summary>
    private static readonly TimeSpan IdleGrace = TimeSpan.FromSeconds(2);

    /// <summary>Runs <paramref name="request"/> on a connection of <paramref name="dataSource"/> under the guard.</summary>
    internal async Task<QueryOutcome> ExecuteAsync(NpgsqlDataSource dataSource, QueryRequest request, IRowSink sink, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(sink);
        if (request.MaxRows < 0 || request.MaxBytes < 0 || request.StatementTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(request), "MaxRows and MaxBytes must not be negative and the statement timeout must be positive.");
        }

        ct.ThrowIfCancellationRequested();

        // The client's own deadline, at the timeout itself: the server's statement_timeout is per
        // statement (each FETCH starts a new one) and a session setting the text reaches could turn it
        // off, so the whole run is cancelled from here when its time is up, whatever the server holds.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(request.StatementTimeout);
        var token = deadline.Token;

        NpgsqlConnection? connection = null;
        var serverProcess = 0;
        try
        {
            connection = await dataSource.OpenConnectionAsync(token).ConfigureAwait(false);
            serverProcess = connection.ProcessID;
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, token).ConfigureAwait(false);
            try
            {
                // The guard goes in the same round trip as the statement, ahead of it: if any of it fails, nothing after it runs.
                var guard = GuardCommands(IsSuperuser(connection), request.StatementTimeout);
                return IsExplainOrShow(request.Sql)
                    ? await RunDirectAsync(connection, transaction, guard, request, sink, token).ConfigureAwait(false)
                    : await RunThroughCursorAsync(connection, transaction, guard, request, sink, token).ConfigureAwait(false);
            }
            finally
            {
                await RollBackQuietlyAsync(connection, transaction).ConfigureAwait(false);
            }
        }
        catch (RowSinkException failure)
        {
            failure.RethrowSinkFailure();
            throw;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            throw new QueryExecutionException(SqlStates.QueryCanceled, "The query ran longer than its time limit and was cancelled.");
        }
        catch (PostgresException exception)
        {
            throw new QueryExecutionException(exception.SqlState, exception.MessageText)
            {
                Position = PositionInRequest(exception, request.Sql),
                Hint = exception.Hint,
                Detail = exception.Detail,
            };
        }
        catch (NpgsqlException exception) when (exception.InnerException is TimeoutException)
        {
            throw new QueryExecutionException(SqlStates.QueryCanceled, "The query ran longer than its time limit and was cancelled.");
        }
        catch (NpgsqlException exception)
        {
            LogConnectionFailure(_logger, exception.SqlState ?? "none");
            throw new QueryExecutionException(QueryExecutionException.ConnectionFailedCode, "The connection to the data source failed or was closed.");
        }
        catch (NotSupportedException)
        {
            // Npgsql refuses a second statement in one batch command before anything is sent.
            throw new QueryExecutionException(SqlStates.SyntaxError, "Only one SQL statement can be run at a time.");
        }
        finally
        {
            if (connection is not null)
            {
                var orphaned = token.IsCancellationRequested && connection.FullState.HasFlag(ConnectionState.Broken);
                await connection.DisposeAsync().ConfigureAwait(false);
                if (orphaned)
                {
                    await EndOrphanedQueryAsync(dataSource, serverProcess).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>
    /// Ends the server process of a run that was cancelled (by its user or its deadline) but whose
    /// cancel request the server did not act on: PostgreSQL drops a cancel that arrives while the
    /// process waits for the client's next message, and a query may catch the cancel itself. Npgsql
    /// then gives up on the connection after its cancellation timeout, but the server process goes on
    /// with the query until it next writes to the socket — for an aggregate, minutes. The account may
    /// end its own processes, so a second connection of the same pool terminates it.
    /// </summary>
    private async Task EndOrphanedQueryAsync(NpgsqlDataSource dataSource, int serverProcess)
    {
        if (serverProcess == 0)
        {
            return;
        }

        try
        {
            using var limit = new CancellationTokenSource(OrphanCleanupLimit);
            await using var connection = await dataSource.OpenConnectionAsync(limit.Token).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SELECT pg_terminate_backend($1)", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = serverProcess });
            await command.ExecuteScalarAsync(limit.Token).ConfigureAwait(false);
            LogOrphanEnded(_logger, serverProcess);
        }
        catch (Exception failure) when (failure is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            LogOrphanNotEnded(_logger, serverProcess, failure.GetType().Name);
        }
    }

    /// <summary>True when the text (after leading whitespace) starts with the keyword EXPLAIN or SHOW.</summary>
    internal static bool IsExplainOrShow(string sql)
    {
        var text = sql.AsSpan().TrimStart();
        return StartsWithKeyword(text, "explain") || StartsWithKeyword(text, "show");

        static bool StartsWithKeyword(ReadOnlySpan<char> text, string keyword) =>
            text.StartsWith(keyword, StringComparison.OrdinalIgnoreCase)
            && (text.Length == keyword.Length || char.IsWhiteSpace(text[keyword.Length]) || text[keyword.Length] == '(');
    }

    /// <summary>
    /// The transaction's guard: read only, statement, lock and idle timeouts, and for a superuser the
    /// <c>pg_read_all_data</c> role (a superuser may read and write server files and signal other
    /// backends even in a read-only transaction: lo_export of an existing large object, pg_read_file,
    /// …; for this transaction it still reads every table, but nothing more).
    /// </summary>
    private static NpgsqlBatchCommand[] GuardCommands(bool superuser, TimeSpan statementTimeout)
    {
        var statementMs = ToMilliseconds(statementTimeout);
        var lockMs = Math.Min(statementMs, ToMilliseconds(LockTimeoutCap));
        var idleMs = statementMs + ToMilliseconds(IdleGrace);
        var commands = new List<NpgsqlBatchCommand>
        {
            new("SET TRANSACTION READ ONLY"),
            new(string.Create(CultureInfo.InvariantCulture, $"SET LOCAL statement_timeout = {statementMs}")),
            new(string.Create(CultureInfo.InvariantCulture, $"SET LOCAL lock_timeout = {lockMs}")),
            new(string.Create(CultureInfo.InvariantCulture, $"SET LOCAL idle_in_transaction_session_timeout = {idleMs}")),
        };
        if (superuser)
        {
            commands.Add(new($"SET LOCAL ROLE {ReadAllDataRole}"));
        }

        return [.. commands];
    }

    private static bool IsSuperuser(NpgsqlConnection connection) =>
        connection.PostgresParameters.TryGetValue("is_superuser", out var value) && string.Equals(value, "on", StringComparison.Ordinal);

    /// <summary>
    /// The error's position in the request's SQL: the statement that ran it ends with it, after the
    /// cursor's ASCII <c>DECLARE … FOR</c> line (or after nothing, for EXPLAIN and SHOW), so the
    /// position moves back by that line. Null without a position, or when it falls before the SQL.
    /// </summary>
    internal static int? PositionInRequest(PostgresException exception, string sql)
    {
        if (exception.Position <= 0)
        {
            return null;
        }

        var prefix = exception.BatchCommand?.CommandText is { } text && text.EndsWith(sql, StringComparison.Ordinal)
            ? text.Length - sql.Length
            : IsExplainOrShow(sql) ? 0 : CursorDeclaration.Length;
        var position = exception.Position - prefix;
        return position >= 1 ? position : null;
    }

    private static long ToMilliseconds(TimeSpan value) => Math.Max(1, (long)Math.Ceiling(value.TotalMilliseconds));

    private static async Task<QueryOutcome> RunThroughCursorAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, NpgsqlBatchCommand[] guard, QueryRequest request, IRowSink sink, CancellationToken ct)
    {
        var collector = new RowReader(request.MaxRows, request.MaxBytes, sink);
        var first = true;
        while (!collector.Done)
        {
            var wanted = Math.Min(FetchChunk, collector.RowsWanted);
            var fetch = Batch(connection, transaction);
            if (first)
            {
                // One round trip: the guard, the cursor (the user's text is the whole tail of the statement:
                // nothing follows it that a trailing comment could hide), and the first rows.
                Prepend(fetch, guard);
                fetch.BatchCommands.Add(Command(CursorDeclaration + request.Sql, request.Parameters));
                first = false;
            }

            fetch.BatchCommands.Add(Command(string.Create(CultureInfo.InvariantCulture, $"FETCH FORWARD {wanted} FROM {CursorName}"), []));
            await using (fetch.ConfigureAwait(false))
            {
                var reader = await fetch.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    var read = await collector.ReadAsync(reader, ct).ConfigureAwait(false);
                    if (read < wanted)
                    {
                        break;
                    }
                }
            }
        }

        return collector.ToOutcome();
    }

    private static async Task<QueryOutcome> RunDirectAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, NpgsqlBatchCommand[] guard, QueryRequest request, IRowSink sink, CancellationToken ct)
    {
        var collector = new RowReader(request.MaxRows, request.MaxBytes, sink);
        var batch = Batch(connection, transaction);
        Prepend(batch, guard);
        batch.BatchCommands.Add(Command(request.Sql, request.Parameters));
        await using (batch.ConfigureAwait(false))
        {
            var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                await collector.ReadAsync(reader, ct).ConfigureAwait(false);
            }
        }

        return collector.ToOutcome();
    }

    /// <summary>
    /// One batch command: Npgsql sends it as a single Parse message (and refuses to split it), so
    /// PostgreSQL rejects a text holding more than one statement.
    /// </summary>
    private static NpgsqlBatchCommand Command(string sql, IReadOnlyList<QueryParameter> parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter.Value ?? DBNull.Value });
        }

        return command;
    }

    private static NpgsqlBatch Batch(NpgsqlConnection connection, NpgsqlTransaction transaction) => new(connection, transaction) { Timeout = 0 };

    private static void Prepend(NpgsqlBatch batch, NpgsqlBatchCommand[] guard)
    {
        foreach (var command in guard)
        {
            batch.BatchCommands.Add(command);
        }
    }

    private async Task RollBackQuietlyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        try
        {
            // Never commit: whatever the text managed to do in this transaction is undone.
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);

            // What a rollback keeps (session advisory locks taken by a SELECT) is dropped now, not only
            // when the pool hands the connection out again.
            await using var discard = new NpgsqlCommand("DISCARD ALL", connection);
            await discard.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException)
        {
            // A broken connection (e.g. the backend was terminated) is dropped by the pool, not reused.
            LogRollbackFailed(_logger);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A cancelled query outlived its connection; its server process {ServerProcess} was ended")]
    private static partial void LogOrphanEnded(ILogger logger, int serverProcess);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A cancelled query outlived its connection and its server process {ServerProcess} could not be ended ({Failure}); the server's timeouts end it")]
    private static partial void LogOrphanNotEnded(ILogger logger, int serverProcess, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A query connection failed (SQLSTATE {SqlState})")]
    private static partial void LogConnectionFailure(ILogger logger, string sqlState);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Rolling back a query run failed; the connection is discarded")]
    private static partial void LogRollbackFailed(ILogger logger);

    /// <summary>Reads a PostgreSQL result, fetch by fetch, into a <see cref="RowLimiter"/>.</summary>
    private sealed class RowReader(int maxRows, long maxBytes, IRowSink sink)
    {
        private readonly RowLimiter _limiter = new(maxRows, maxBytes, sink);
        private readonly PostgresValues _values = new();

        public bool Done => _limiter.Done;

        /// <summary>Rows still to fetch: up to the limit, plus one to learn whether more exist.</summary>
        public int RowsWanted => _limiter.RowsWanted;

        public async Task<int> ReadAsync(NpgsqlDataReader reader, CancellationToken ct)
        {
            if (!_limiter.ColumnsSent)
            {
                var columns = new QueryColumn[reader.FieldCount];
                for (var i = 0; i < columns.Length; i++)
                {
                    columns[i] = new QueryColumn(reader.GetName(i), ColumnTypeName.Canonical(reader.GetDataTypeName(i)));
                }

                await _limiter.ColumnsAsync(columns, ct).ConfigureAwait(false);
            }

            var read = 0;
            while (!_limiter.Done && await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                read++;
                if (!_limiter.TakesAnotherRow())
                {
                    break;
                }

                var row = new object?[reader.FieldCount];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = reader.IsDBNull(i) ? null : _values.Read(reader, i);
                }

                if (!await _limiter.AddAsync(row, ct).ConfigureAwait(false))
                {
                    break;
                }
            }

            return read;
        }

        public QueryOutcome ToOutcome() => _limiter.ToOutcome();
    }
}
