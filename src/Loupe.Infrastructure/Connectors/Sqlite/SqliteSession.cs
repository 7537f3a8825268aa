using System.Globalization;
using Loupe.Application.Common.Connectors;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Loupe.Infrastructure.Connectors.Sqlite;

/// <summary>
/// One guarded connection to a SQLite file, for one run, under the execution guard, closed with it: nothing is
/// pooled, so nothing a run does reaches the next. Layer by layer:
/// <list type="number">
/// <item>the file is opened read-only (<c>SQLITE_OPEN_READONLY</c>), with a private cache and
/// extension loading off, and <c>PRAGMA query_only</c> is on;</item>
/// <item>no database can be attached (<c>SQLITE_LIMIT_ATTACHED</c> is 0, which also stops
/// <c>VACUUM INTO</c>, as it attaches its output), and the schema is not trusted;</item>
/// <item>an authorizer allows a statement to read tables, call functions and recurse, and nothing
/// else: no ATTACH or DETACH, no write, no DDL, no transaction control, no PRAGMA but a few that
/// only describe tables, and neither <c>load_extension</c> nor the pragma that tells the file's path;</item>
/// <item><see cref="Inspect"/> admits exactly one statement that SQLite calls read-only;</item>
/// <item>a progress handler and <c>sqlite3_interrupt</c> stop it at the deadline.</item>
/// </list>
/// </summary>
internal sealed class SqliteSession : IDisposable
{
    /// <summary>Virtual machine steps between two looks at the deadline.</summary>
    private const int ProgressSteps = 1000;

    /// <summary>
    /// PRAGMA statements that only describe the schema. Table-valued pragma functions
    /// (<c>pragma_table_info(…)</c>) are read like tables: SQLite makes them only for pragmas without
    /// side effects, and those in <see cref="RevealingPragmaTables"/> are refused.
    /// </summary>
    private static readonly HashSet<string> DescribingPragmas = new(StringComparer.OrdinalIgnoreCase)
    {
        "table_info",
        "table_xinfo",
        "table_list",
        "index_list",
        "index_info",
        "index_xinfo",
        "foreign_key_list",
        "collation_list",
        "function_list",
        "module_list",
        "pragma_list",
    };

    /// <summary>Table-valued pragmas that tell where files are on the host.</summary>
    private static readonly HashSet<string> RevealingPragmaTables = new(StringComparer.OrdinalIgnoreCase)
    {
        "pragma_database_list",
        "pragma_temp_store_directory",
        "pragma_data_store_directory",
    };

    private static readonly HashSet<string> RefusedFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        "load_extension",
        "fts3_tokenizer",
    };

    private readonly CancellationTokenSource _deadline;
    private readonly SqliteConnection _connection;
    private CancellationTokenRegistration _interrupt;

    /// <summary>Why the authorizer refused the statement being prepared, first reason first.</summary>
    private QueryExecutionException? _refusal;

    private SqliteSession(SqliteFile file, CancellationTokenSource deadline, SqliteConnection connection)
    {
        File = file;
        _deadline = deadline;
        _connection = connection;
    }

    public SqliteFile File { get; }

    /// <summary>Cancelled when the caller cancels or the time limit passes.</summary>
    public CancellationToken Token => _deadline.Token;

    /// <summary>Opens <paramref name="file"/> under the guard; the whole session must end within <paramref name="timeout"/>.</summary>
    /// <exception cref="SqliteException">SQLite could not open the file.</exception>
    public static SqliteSession Open(SqliteFile file, TimeSpan timeout, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(file);
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = file.RealPath,
            Mode = SqliteOpenMode.ReadOnly,
            Cache = SqliteCacheMode.Private,
            Pooling = false,

            // How long a statement waits for a writer's lock before giving up.
            DefaultTimeout = (int)Math.Clamp(Math.Ceiling(timeout.TotalSeconds), 1, int.MaxValue),
        }.ToString();
        var connection = new SqliteConnection(connectionString);
        var session = new SqliteSession(file, deadline, connection);
        try
        {
            connection.Open();
            session.ApplyGuard();
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Prepares <paramref name="sql"/> without running it and admits it only if it is exactly one
    /// statement (whitespace, comments and semicolons may follow it), SQLite calls it read-only and
    /// it uses no parameter but <c>$1</c>…<c>$parameterCount</c>.
    /// </summary>
    /// <returns>The declared type of each result column, or <see langword="null"/> where the column has none.</returns>
    /// <exception cref="QueryExecutionException">The text is refused.</exception>
    /// <exception cref="SqliteException">SQLite could not prepare the statement.</exception>
    public string?[] Inspect(string sql, int parameterCount)
    {
        ArgumentNullException.ThrowIfNull(sql);
        if (sql.Contains('\0', StringComparison.Ordinal))
        {
            // SQLite would read the text up to it only; what follows would be out of sight of this check.
            throw new QueryExecutionException(SqliteErrors.SyntaxCode, "The SQL text holds a NUL character.");
        }

        var handle = _connection.Handle!;
        _refusal = null;
        var rc = raw.sqlite3_prepare_v2(handle, sql, out var statement, out string tail);
        using (statement)
        {
            if (rc == raw.SQLITE_AUTH && _refusal is not null)
            {
                throw _refusal;
            }

            if (rc != raw.SQLITE_OK)
            {
                SqliteException.ThrowExceptionForRC(rc, handle);
            }

            if (statement.IsInvalid)
            {
                throw new QueryExecutionException(SqliteErrors.SyntaxCode, "There is no SQL statement to run.");
            }

            // SQLite itself says where the statement ends: what follows must hold no statement.
            EnsureNothingFollows(handle, tail);

            if (raw.sqlite3_stmt_readonly(statement) == 0)
            {
                throw SqliteErrors.Writes();
            }

            var parameters = raw.sqlite3_bind_parameter_count(statement);
            for (var i = 1; i <= parameters; i++)
            {
                var name = raw.sqlite3_bind_parameter_name(statement, i).utf8_to_string();
                if (!IsPositional(name, parameterCount))
                {
                    throw SqliteErrors.MissingParameter(name switch
                    {
                        null => "Parameters are written $1, $2, …; '?' is not accepted.",
                        _ when parameterCount == 0 => $"The query uses the parameter {name}, but no parameter is given.",
                        _ => string.Create(CultureInfo.InvariantCulture, $"The query uses the parameter {name}, but only $1…${parameterCount} are given."),
                    });
                }
            }

            var declared = new string?[raw.sqlite3_column_count(statement)];
            for (var i = 0; i < declared.Length; i++)
            {
                declared[i] = raw.sqlite3_column_decltype(statement, i).utf8_to_string();
            }

            return declared;
        }
    }

    /// <summary>A command on this session's connection; it is bound by the session's time limit.</summary>
    public SqliteCommand CreateCommand(string sql)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    public void Dispose()
    {
        // The interrupt callback must not touch a closed handle: unregistering waits for it.
        _interrupt.Dispose();
        _connection.Dispose();
        _deadline.Dispose();
    }

    private static void EnsureNothingFollows(sqlite3 handle, string tail)
    {
        var rest = tail;
        while (!string.IsNullOrWhiteSpace(rest))
        {
            var rc = raw.sqlite3_prepare_v2(handle, rest, out var next, out string after);
            using (next)
            {
                if (rc != raw.SQLITE_OK || !next.IsInvalid)
                {
                    throw SqliteErrors.MoreThanOneStatement();
                }
            }

            // SQLite stops at a NUL character: text it will not read is not let through unread.
            if (after.Length >= rest.Length)
            {
                throw SqliteErrors.MoreThanOneStatement();
            }

            rest = after;
        }
    }

    private static bool IsPositional(string? name, int parameterCount) =>
        name is ['$', >= '1' and <= '9', ..]
        && !name.AsSpan(1).ContainsAnyExceptInRange('0', '9')
        && int.TryParse(name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var position)
        && position <= parameterCount;

    /// <summary>
    /// The authorizer: reading, functions (but two), recursive queries and describing PRAGMAs are
    /// allowed; everything else is refused while the statement is prepared, and why is kept for
    /// <see cref="Inspect"/> to tell.
    /// </summary>
    private int Authorize(object userData, int action, string? first, string? second, string? database, string? trigger)
    {
        var refusal = action switch
        {
            raw.SQLITE_SELECT or raw.SQLITE_RECURSIVE => null,
            raw.SQLITE_READ when first is not null && RevealingPragmaTables.Contains(first) =>
                new QueryExecutionException(SqliteErrors.RefusedCode, $"{first} is not available: it tells where files are on the server."),
            raw.SQLITE_READ => null,
            raw.SQLITE_FUNCTION when second is not null && RefusedFunctions.Contains(second) =>
                new QueryExecutionException(SqliteErrors.RefusedCode, $"The function {second} is not allowed."),
            raw.SQLITE_FUNCTION => null,
            raw.SQLITE_PRAGMA when first is not null && DescribingPragmas.Contains(first) => null,
            raw.SQLITE_PRAGMA =>
                new QueryExecutionException(SqliteErrors.RefusedCode, $"PRAGMA {first} is not allowed; only PRAGMAs that describe tables are."),
            raw.SQLITE_ATTACH or raw.SQLITE_DETACH =>
                new QueryExecutionException(SqliteErrors.RefusedCode, "ATTACH and DETACH are not allowed: a SQLite data source is its one file."),
            raw.SQLITE_TRANSACTION or raw.SQLITE_SAVEPOINT =>
                new QueryExecutionException(SqliteErrors.RefusedCode, "Transaction control is not allowed."),
            _ => SqliteErrors.Writes(),
        };
        if (refusal is null)
        {
            return raw.SQLITE_OK;
        }

        _refusal ??= refusal;
        return raw.SQLITE_DENY;
    }

    private void ApplyGuard()
    {
        var handle = _connection.Handle!;
        _connection.EnableExtensions(false);
        raw.sqlite3_limit(handle, raw.SQLITE_LIMIT_ATTACHED, 0);
        raw.sqlite3_db_config(handle, raw.SQLITE_DBCONFIG_DEFENSIVE, 1, out _);
        raw.sqlite3_db_config(handle, raw.SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, out _);
        using (var command = _connection.CreateCommand())
        {
            command.CommandText = "PRAGMA query_only = ON";
            command.ExecuteNonQuery();
        }

        raw.sqlite3_set_authorizer(handle, Authorize, null);

        // The handler sees the deadline from the first step of any statement on; the interrupt also
        // stops work that runs long between two steps (a big sort).
        var token = _deadline.Token;
        raw.sqlite3_progress_handler(handle, ProgressSteps, _ => token.IsCancellationRequested ? 1 : 0, null);
        _interrupt = token.Register(() => raw.sqlite3_interrupt(handle));
    }
}
