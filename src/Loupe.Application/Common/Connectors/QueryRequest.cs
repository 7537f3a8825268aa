namespace Loupe.Application.Common.Connectors;

/// <summary>One guarded query run.</summary>
/// <param name="Sql">The SQL text; parameters are referenced positionally as <c>$1</c>, <c>$2</c>, …</param>
/// <param name="Parameters">Values for <c>$1</c>…<c>$n</c>, in order, sent as real database parameters.</param>
/// <param name="StatementTimeout">How long the query may run in the database.</param>
/// <param name="MaxRows">At most this many rows are returned.</param>
/// <param name="MaxBytes">Reading stops once the rows read take about this many bytes.</param>
public sealed record QueryRequest(
    string Sql,
    IReadOnlyList<QueryParameter> Parameters,
    TimeSpan StatementTimeout,
    int MaxRows,
    long MaxBytes);

/// <summary>A positional parameter value; <paramref name="Name"/> is informative only (e.g. the placeholder it came from).</summary>
public sealed record QueryParameter(string Name, object? Value);
