using Loupe.Domain.Common;
using Loupe.Domain.Runs;

namespace Loupe.Application.Common.Connectors;

/// <summary>
/// The database refused or aborted a query. <see cref="Code"/> is the SQLSTATE when the database gave
/// one (<c>42601</c> syntax, <c>57014</c> timeout, <c>25006</c> write in a read-only run, …), otherwise a
/// Loupe code. The message never carries connection details or secrets.
/// </summary>
public sealed class QueryExecutionException : Exception
{
    /// <summary>Code used when the connection to the data source failed without a SQLSTATE.</summary>
    public const string ConnectionFailedCode = SqlStates.ConnectionException;

    /// <summary>Code used when a column holds a value Loupe cannot read (numeric NaN, for example); final, never retried.</summary>
    public const string UnreadableValueCode = LoupeErrorCodes.UnreadableValue;

    public QueryExecutionException()
        : this(ConnectionFailedCode, "The query could not be run.")
    {
    }

    public QueryExecutionException(string message)
        : this(ConnectionFailedCode, message)
    {
    }

    public QueryExecutionException(string message, Exception innerException)
        : this(ConnectionFailedCode, message, innerException)
    {
    }

    public QueryExecutionException(string code, string message)
        : base(message)
    {
        Code = code;
    }

    public QueryExecutionException(string code, string message, Exception? innerException)
        : base(message, innerException)
    {
        Code = code;
    }

    public string Code { get; }

    /// <summary>Where the database found the error: a 1-based character position in <see cref="QueryRequest.Sql"/>, as sent; null when none.</summary>
    public int? Position { get; init; }

    /// <summary>The database's hint, unfiltered (the run's error decides what is shown).</summary>
    public string? Hint { get; init; }

    /// <summary>The database's detail, unfiltered (the run's error decides what is shown).</summary>
    public string? Detail { get; init; }
}
