using Loupe.Application.Common.Connectors;

namespace Loupe.Application.Common.Results;

/// <summary>
/// Stored run results (ADR 0022): the columns, then the rows in compressed chunks in Loupe's database,
/// written while the data source is read so memory does not grow with the result, and read back one
/// page or one export at a time. Every call acts in the current organization (row-level security).
/// Results are stored per attempt: reads name the attempt the run recorded as its result, so a late
/// write by a presumed-dead attempt never mixes with the current one. Without a current organization
/// every call throws <see cref="InvalidOperationException"/>.
/// </summary>
public interface IResultStore
{
    /// <summary>
    /// Starts storing one attempt's result. The writer's first write removes whatever an earlier writer of
    /// the same attempt left, and refuses (<see cref="InvalidOperationException"/>, nothing kept) a run that
    /// is not one of the current organization's.
    /// </summary>
    Task<IResultWriter> BeginAsync(Guid runId, int attempt, CancellationToken ct);

    /// <summary>
    /// Rows <paramref name="offset"/> to <paramref name="offset"/> + <paramref name="count"/> (fewer at the end),
    /// reading only the chunks that hold them; none when the result is not stored. Cells longer than a page
    /// shows of one cell, and cells past the page's byte budget, come as <see cref="TruncatedCell"/>s.
    /// </summary>
    Task<ResultPage?> ReadPageAsync(Guid runId, int attempt, long offset, int count, CancellationToken ct);

    /// <summary>Writes the whole result to <paramref name="destination"/> as it reads it; false when the result is not stored.</summary>
    Task<bool> ExportAsync(Guid runId, int attempt, ResultFormat format, ExportOptions options, Stream destination, CancellationToken ct);

    /// <summary>Removes the stored results (every attempt) of these runs.</summary>
    Task DeleteAsync(IReadOnlyCollection<Guid> runIds, CancellationToken ct);
}

/// <summary>
/// Receives one attempt's rows (as an <see cref="IRowSink"/>) and writes them in chunks as they come.
/// Nothing is visible until <see cref="CompleteAsync"/>; disposing without completing removes what was written.
/// </summary>
public interface IResultWriter : IRowSink, IAsyncDisposable
{
    /// <summary>Writes the last chunk and the result's summary; answers what was stored.</summary>
    Task<StoredResult> CompleteAsync(QueryOutcome outcome, CancellationToken ct);
}

/// <summary>What a completed writer stored.</summary>
public sealed record StoredResult(long RowCount, bool Truncated, long StoredBytes, int ChunkCount);

/// <summary>
/// A page of a stored result: the columns, the total row count and the rows asked for (values as the JSON
/// answer shows them), and how many of its cells are <see cref="TruncatedCell"/>s.
/// </summary>
public sealed record ResultPage(IReadOnlyList<QueryColumn> Columns, long TotalRows, IReadOnlyList<object?[]> Rows, int CellsTruncated = 0);

public enum ResultFormat
{
    /// <summary>RFC 4180: a header line, CRLF line ends, fields quoted when they hold a comma, quote, CR or LF.</summary>
    Csv,

    /// <summary><c>{"columns":[{"name","type"}…],"rows":[[…]…]}</c>, numbers and booleans as JSON values.</summary>
    Json,
}

/// <summary>How a CSV export is written; the JSON export has no options.</summary>
/// <param name="ByteOrderMark">Starts the file with the UTF-8 byte order mark, so spreadsheet programs read it as UTF-8.</param>
/// <param name="EscapeFormulas">
/// Puts a single quote before a cell that a spreadsheet program would read as a formula: one that starts with
/// <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage return and is not a number.
/// </param>
public sealed record ExportOptions(bool ByteOrderMark = false, bool EscapeFormulas = true)
{
    /// <summary>No byte order mark, formulas escaped.</summary>
    public static ExportOptions Default { get; } = new();
}

/// <summary>
/// A cell of a result page that the page does not show whole (ADR 0031): its text is longer than a page
/// shows of one cell, or the page was full. The whole value is in the exports.
/// </summary>
/// <param name="Bytes">The length of the whole value's text in UTF-8 bytes (a <c>bytea</c> as its <c>\x…</c> hex text).</param>
/// <param name="Prefix">The start of the text, cut on a character boundary; empty once the page was full.</param>
public sealed record TruncatedCell(long Bytes, string Prefix)
{
    /// <summary>Always true: what a client checks to tell this cell from a value.</summary>
    public bool Truncated { get; } = true;
}
