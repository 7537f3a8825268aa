using Loupe.Application.Common.Connectors;
using Loupe.Domain.Common;
using Microsoft.Data.Sqlite;

namespace Loupe.Infrastructure.Connectors.Sqlite;

/// <summary>
/// The codes the SQLite connector gives. SQLite has no SQLSTATE, so its failures get the PostgreSQL
/// SQLSTATE of the same meaning, and Loupe's own refusals get the SQLSTATE that reads best:
/// <list type="table">
/// <item><term><c>0A000</c></term><description>SQLite is not enabled: no <c>DataSources:SqliteFolder</c>.</description></item>
/// <item><term><c>42501</c></term><description>The path is not a plain relative path, or it leads out of the data folder (<c>..</c>, a symbolic link); a statement or function the guard does not allow (ATTACH, PRAGMA, load_extension, …).</description></item>
/// <item><term><c>58P01</c></term><description>No such file in the data folder, it is not a regular file, or the data folder itself is missing.</description></item>
/// <item><term><c>42601</c></term><description>More than one statement, or a syntax error.</description></item>
/// <item><term><c>25006</c></term><description>A statement that would write.</description></item>
/// <item><term><c>57014</c></term><description>The query ran longer than its time limit.</description></item>
/// <item><term><c>55P03</c></term><description>The file stayed locked by a writer for the whole time limit.</description></item>
/// </list>
/// Messages name the data source's relative path at most, never the folder.
/// </summary>
internal static class SqliteErrors
{
    public const string NotEnabledCode = SqlStates.FeatureNotSupported;
    public const string RefusedCode = SqlStates.InsufficientPrivilege;
    public const string FileMissingCode = SqlStates.UndefinedFile;
    public const string SyntaxCode = SqlStates.SyntaxError;
    public const string ReadOnlyCode = SqlStates.ReadOnlySqlTransaction;
    public const string TimeoutCode = SqlStates.QueryCanceled;
    public const string LockedCode = SqlStates.LockNotAvailable;

    /// <summary>SQLite's generic <c>SQLITE_ERROR</c>: a statement that cannot be prepared or run.</summary>
    public const int SqliteError = 1;

    private const int SqliteNoMemory = 7;
    private const int SqliteReadOnly = 8;
    private const int SqliteInterrupt = 9;
    private const int SqliteIoError = 10;
    private const int SqliteCorrupt = 11;
    private const int SqliteCantOpen = 14;
    private const int SqliteTooBig = 18;
    private const int SqliteConstraint = 19;
    private const int SqliteMismatch = 20;
    private const int SqliteAuth = 23;
    private const int SqliteRange = 25;
    private const int SqliteNotADatabase = 26;
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    public static QueryExecutionException NotEnabled() =>
        new(NotEnabledCode, "SQLite data sources are not enabled on this instance (DataSources:SqliteFolder).");

    public static QueryExecutionException FolderMissing() =>
        new(FileMissingCode, "The SQLite data folder of this instance (DataSources:SqliteFolder) does not exist.");

    public static QueryExecutionException PathNotRelative() =>
        new(RefusedCode, "The SQLite path is not a plain relative path inside the data folder.");

    public static QueryExecutionException PathOutsideFolder(string relativePath) =>
        new(RefusedCode, $"The SQLite path '{relativePath}' leads outside the data folder.");

    public static QueryExecutionException FileMissing(string relativePath) =>
        new(FileMissingCode, $"The SQLite file '{relativePath}' does not exist in the data folder.");

    public static QueryExecutionException NotAFile(string relativePath) =>
        new(FileMissingCode, $"The SQLite path '{relativePath}' is not a regular file.");

    public static QueryExecutionException MoreThanOneStatement() =>
        new(SyntaxCode, "Only one SQL statement can be run at a time.");

    public static QueryExecutionException Writes() =>
        new(ReadOnlyCode, "The statement would change the database; SQLite data sources are read-only.");

    public static QueryExecutionException Timeout() =>
        new(TimeoutCode, "The query ran longer than its time limit and was cancelled.");

    public static QueryExecutionException MissingParameter(string message) =>
        new(SqlStates.UndefinedParameter, message);

    /// <summary>SQLite's failure with the SQLSTATE of the same meaning and SQLite's own text, without <paramref name="hidden"/> paths.</summary>
    public static QueryExecutionException Describe(SqliteException exception, params ReadOnlySpan<string?> hidden)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = Scrub(Text(exception), hidden);
        return exception.SqliteErrorCode switch
        {
            SqliteInterrupt => Timeout(),
            SqliteBusy or SqliteLocked => new(LockedCode, "The SQLite file stayed locked by a writer for the whole time limit."),
            SqliteReadOnly => new(ReadOnlyCode, message),
            SqliteAuth => new(RefusedCode, message),
            SqliteCorrupt or SqliteNotADatabase => new(SqlStates.DataCorrupted, "The SQLite file is not a database or is damaged."),
            SqliteCantOpen or SqliteIoError => new(SqlStates.IoError, "The SQLite file could not be read."),
            SqliteNoMemory => new(SqlStates.OutOfMemory, message),
            SqliteTooBig => new(SqlStates.ProgramLimitExceeded, message),
            SqliteConstraint => new(SqlStates.IntegrityConstraintViolation, message),
            SqliteMismatch => new(SqlStates.DataException, message),
            SqliteRange => new(SqlStates.InvalidParameterValue, message),
            SqliteError => new(ErrorCode(message), message),
            _ => new(SqlStates.SystemError, message),
        };
    }

    /// <summary>A generic SQLite error, told apart by its text as PostgreSQL's SQLSTATEs would.</summary>
    private static string ErrorCode(string message)
    {
        if (message.Contains("syntax error", StringComparison.Ordinal)
            || message.Contains("incomplete input", StringComparison.Ordinal)
            || message.Contains("unrecognized token", StringComparison.Ordinal))
        {
            return SyntaxCode;
        }

        if (message.StartsWith("no such table", StringComparison.Ordinal))
        {
            return SqlStates.UndefinedTable;
        }

        if (message.StartsWith("no such column", StringComparison.Ordinal))
        {
            return SqlStates.UndefinedColumn;
        }

        if (message.StartsWith("no such function", StringComparison.Ordinal)
            || message.StartsWith("wrong number of arguments", StringComparison.Ordinal))
        {
            return SqlStates.UndefinedFunction;
        }

        if (message.StartsWith("not authorized", StringComparison.Ordinal)
            || message.StartsWith("too many attached databases", StringComparison.Ordinal))
        {
            return RefusedCode;
        }

        return SqlStates.SyntaxErrorOrAccessRuleViolation;
    }

    /// <summary>SQLite's own message: Microsoft.Data.Sqlite wraps it as <c>SQLite Error N: '…'.</c></summary>
    private static string Text(SqliteException exception)
    {
        var message = exception.Message;
        var start = message.IndexOf(": '", StringComparison.Ordinal);
        return message.StartsWith("SQLite Error ", StringComparison.Ordinal) && start > 0 && message.EndsWith("'.", StringComparison.Ordinal)
            ? message[(start + 3)..^2]
            : message;
    }

    private static string Scrub(string message, ReadOnlySpan<string?> hidden)
    {
        foreach (var path in hidden)
        {
            if (path is { Length: > 1 })
            {
                message = message.Replace(path, "<data folder>", StringComparison.Ordinal);
            }
        }

        return message;
    }
}
