namespace Loupe.Application.Common.Connectors;

/// <summary>The rows a guarded query returned, all in memory (for small results: previews, tests).</summary>
/// <param name="Columns">Result columns in order.</param>
/// <param name="Rows">Row values in column order (<see langword="null"/> for SQL NULL).</param>
/// <param name="Truncated">More rows existed than <see cref="QueryRequest.MaxRows"/>, or the byte limit was hit.</param>
/// <param name="RowCount">How many rows <see cref="Rows"/> holds.</param>
public sealed record QueryResult(
    IReadOnlyList<QueryColumn> Columns,
    IReadOnlyList<object?[]> Rows,
    bool Truncated,
    int RowCount);

/// <summary>A result column and its type name as the database gives it (e.g. <c>integer</c>, <c>text</c>).</summary>
public sealed record QueryColumn(string Name, string TypeName);
