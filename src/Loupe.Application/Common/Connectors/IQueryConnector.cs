namespace Loupe.Application.Common.Connectors;

/// <summary>
/// Runs one query against a data source under the execution guard (spec §4.4): read-only, time- and
/// size-limited, always rolled back. The guard holds whatever the SQL safety scanner decided.
/// </summary>
public interface IQueryConnector
{
    /// <summary>Runs the query; failures surface as <see cref="QueryExecutionException"/>.</summary>
    /// <exception cref="QueryExecutionException">The database refused or aborted the query.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled; the query is cancelled in the database.</exception>
    Task<QueryResult> ExecuteAsync(QueryRequest request, CancellationToken ct);
}
