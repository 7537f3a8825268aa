using System.Diagnostics;
using System.Globalization;
using Loupe.Application.Common.Connectors;
using Loupe.Domain.Common;
using Loupe.Domain.DataSources;
using Loupe.Infrastructure.Connectors.ConnectionStrings;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SQLitePCL;

namespace Loupe.Infrastructure.Connectors.Sqlite;

/// <summary>
/// The <c>sqlite</c> connector: files inside the configured <c>DataSources:SqliteFolder</c> only
/// (<see cref="SqliteFiles"/>), opened read-only for one run each under the guard of
/// <see cref="SqliteSession"/>. Nothing is pooled. Failures are <see cref="QueryExecutionException"/>s
/// with the codes listed on <see cref="SqliteErrors"/>.
/// </summary>
internal sealed partial class SqliteConnector : IDataSourceConnector
{
    /// <summary>How long Loupe's own short runs (test, schema) may take.</summary>
    private static readonly TimeSpan CatalogTimeout = TimeSpan.FromSeconds(30);

    private readonly ILogger<SqliteConnector> _logger;
    private readonly string? _folder;

    public SqliteConnector(ILogger<SqliteConnector> logger, IOptions<DataSourceOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger;
        _folder = options.Value.SqliteFolder;
    }

    public DataSourceType Type => DataSourceType.Sqlite;

    /// <summary>What <c>ConnectionSettings.Sqlite</c> checks: a relative path, nothing else (no password).</summary>
    public IReadOnlyList<ConnectorSetting> Settings { get; } =
    [
        new("path", ConnectorSettingType.Text, Required: true, "The database file, relative to the instance's SQLite folder.", MaxLength: ConnectionSettings.PathMaxLength),
    ];

    /// <summary>What <see cref="Parse"/> answers: a SQLite data source is a path, not a connection string.</summary>
    internal static DomainError ConnectionStringNotTaken { get; } = DomainError.Validation(
        "datasource.connection_string_unsupported",
        ConnectionStringErrors.Field,
        "SQLite data sources take settings.path, not a connection string.");

    public ParsedConnectionString Parse(string? connectionString) => new(null, null, [ConnectionStringNotTaken]);

    public Task<ConnectionCheck> TestAsync(ConnectionTarget target, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        return RunAsync(target, CatalogTimeout, async session =>
        {
            using var command = session.CreateCommand("SELECT sqlite_version()");
            var version = (string?)await command.ExecuteScalarAsync(session.Token).ConfigureAwait(false);
            return new ConnectionCheck($"SQLite {version}", Stopwatch.GetElapsedTime(started), []);
        }, ct);
    }

    public Task<DatabaseSchema> ReadSchemaAsync(ConnectionTarget target, CancellationToken ct) =>
        RunAsync(target, CatalogTimeout, session => SqliteCatalog.ReadAsync(session, _ => LogColumnsUnreadable(_logger)), ct);

    public Task<QueryOutcome> ExecuteAsync(ConnectionTarget target, QueryRequest request, IRowSink sink, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(sink);
        if (request.MaxRows < 0 || request.MaxBytes < 0 || request.StatementTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(request), "MaxRows and MaxBytes must not be negative and the statement timeout must be positive.");
        }

        return RunAsync(target, request.StatementTimeout, session => RunGuardedAsync(session, request, sink), ct);
    }

    /// <summary>Nothing is kept between runs.</summary>
    public ValueTask ForgetAsync(Guid dataSourceId) => ValueTask.CompletedTask;

    /// <summary>
    /// The one statement, its parameters bound as <c>$1</c>…, its rows handed to the sink under the row and
    /// byte limits. A column's type is its declared type, or else the storage class of its first value
    /// (<c>integer</c>, <c>real</c>, <c>text</c>, <c>blob</c>; <c>null</c> when there is none).
    /// </summary>
    private static async Task<QueryOutcome> RunGuardedAsync(SqliteSession session, QueryRequest request, IRowSink sink)
    {
        var token = session.Token;
        var declared = session.Inspect(request.Sql, request.Parameters.Count);
        using var command = session.CreateCommand(request.Sql);
        for (var i = 0; i < request.Parameters.Count; i++)
        {
            command.Parameters.AddWithValue(string.Create(CultureInfo.InvariantCulture, $"${i + 1}"), request.Parameters[i].Value ?? DBNull.Value);
        }

        var limiter = new RowLimiter(request.MaxRows, request.MaxBytes, sink);
        using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
        var hasRow = await reader.ReadAsync(token).ConfigureAwait(false);
        var columns = new QueryColumn[reader.FieldCount];
        for (var i = 0; i < columns.Length; i++)
        {
            var type = i < declared.Length ? declared[i] : null;
            columns[i] = new QueryColumn(reader.GetName(i), ColumnTypeName.Canonical(type ?? StorageClass(hasRow ? ValueOf(reader, i) : null)));
        }

        await limiter.ColumnsAsync(columns, token).ConfigureAwait(false);
        while (hasRow && limiter.TakesAnotherRow())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = ValueOf(reader, i);
            }

            if (!await limiter.AddAsync(row, token).ConfigureAwait(false))
            {
                break;
            }

            hasRow = await reader.ReadAsync(token).ConfigureAwait(false);
        }

        return limiter.ToOutcome();
    }

    /// <summary>The value as SQLite stores it: <see cref="long"/>, <see cref="double"/>, <see cref="string"/>, a byte array, or <see langword="null"/>.</summary>
    private static object? ValueOf(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetValue(ordinal);

    private static string StorageClass(object? value) => value switch
    {
        long => "integer",
        double => "real",
        string => "text",
        byte[] => "blob",
        _ => "null",
    };

    /// <summary>
    /// Finds the file, then opens a guarded session on a pool thread (SQLite works synchronously) and
    /// runs <paramref name="work"/> in it; SQLite's failures become <see cref="QueryExecutionException"/>s.
    /// </summary>
    private async Task<T> RunAsync<T>(ConnectionTarget target, TimeSpan timeout, Func<SqliteSession, Task<T>> work, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.Settings.Type != DataSourceType.Sqlite)
        {
            throw new ArgumentException("The SQLite connector serves SQLite data sources only.", nameof(target));
        }

        var file = Resolve(target.Settings.Path);
        ct.ThrowIfCancellationRequested();
        try
        {
            return await Task.Run(
                async () =>
                {
                    using var session = SqliteSession.Open(file, timeout, ct);
                    return await work(session).ConfigureAwait(false);
                },
                ct).ConfigureAwait(false);
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
            throw SqliteErrors.Timeout();
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == raw.SQLITE_INTERRUPT && ct.IsCancellationRequested)
        {
            throw new OperationCanceledException("The query was cancelled.", exception, ct);
        }
        catch (SqliteException exception)
        {
            throw SqliteErrors.Describe(exception, _folder, file.RealFolder);
        }
    }

    private SqliteFile Resolve(string? relativePath)
    {
        try
        {
            return SqliteFiles.Resolve(_folder, relativePath);
        }
        catch (QueryExecutionException exception) when (exception.Code == SqliteErrors.FileMissingCode && _folder is not null && !Directory.Exists(_folder))
        {
            LogFolderMissing(_logger, _folder);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The SQLite data folder {Folder} (DataSources:SqliteFolder) does not exist")]
    private static partial void LogFolderMissing(ILogger logger, string folder);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The columns of a SQLite table or view could not be read; it is listed without columns")]
    private static partial void LogColumnsUnreadable(ILogger logger);
}
