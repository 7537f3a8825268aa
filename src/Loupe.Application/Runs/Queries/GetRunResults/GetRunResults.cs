using System.Globalization;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Paging;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Results;
using Loupe.Application.Common.Security;
using Loupe.Domain.Common;
using Loupe.Domain.Runs;
using MediatR;

namespace Loupe.Application.Runs.Queries.GetRunResults;

/// <summary>One page of a run's stored result (<c>page</c> from 1, <c>per_page</c> 1–10,000, default 1,000); only the chunks holding it are read.</summary>
[Authorize]
public sealed record GetRunResultsQuery(Guid Id, IReadOnlyDictionary<string, string?> Query) : IRequest<RunResultsDto>;

/// <summary>
/// A page of a run's result rows in the list envelope: the rows are <c>data</c> and
/// <c>pagination.total</c> counts the stored rows; the columns and the result's flags sit beside them.
/// Values as JSON numbers, booleans, strings, JSON values (json columns) or null, in column order; a cell too long for the page is an object (see data).
/// </summary>
/// <param name="Columns">Each column's name and type, the type spelled as the data source schema spells it.</param>
/// <param name="Truncated">The run's result was cut by the row or byte limit of the run (the rows stored are not all the query's).</param>
/// <param name="Data">
/// Each row's cells in column order: a number, boolean, string, null, or in a json/jsonb column the JSON value itself;
/// an integer beyond ±(2^53 − 1) or a numeric of more than 15 significant digits is a string of its exact text. Or, for a cell whose text is longer
/// than a page shows of one cell (Runs:MaxPageCellBytes) or that comes after the page's byte budget
/// (Runs:MaxPageBytes) was used up, the object {"truncated": true, "bytes": length of the whole text in
/// UTF-8 bytes, "prefix": the text's start}. Outside json/jsonb columns no other cell is ever an object; in them, cells_truncated = 0 says none is a marker. The whole value is in
/// results.csv and results.json.
/// </param>
/// <param name="CellsTruncated">How many cells of this page are {"truncated": true, …} objects; 0 when every cell is whole.</param>
public sealed record RunResultsDto(
    Guid RunId,
    IReadOnlyList<ResultColumnDto> Columns,
    bool Truncated,
    int CellsTruncated,
    IReadOnlyList<object?[]> Data,
    Pagination Pagination);

/// <summary>A result column: its name and type, as <c>results.json</c> and the data source schema name them.</summary>
public sealed record ResultColumnDto(string Name, string Type);

internal sealed class GetRunResultsQueryHandler(ICurrentUser caller, IReadStore store, IQueryExecutor executor, IResultStore results)
    : IRequestHandler<GetRunResultsQuery, RunResultsDto>
{
    public const int DefaultPerPage = 1000;
    public const int MaxPerPage = 10_000;

    public async Task<RunResultsDto> Handle(GetRunResultsQuery request, CancellationToken cancellationToken)
    {
        var (page, perPage) = Paging(request.Query);
        var run = await RunResults.FindAsync(store.Query<QueryRun>().VisibleTo(caller), executor, request.Id, cancellationToken).ConfigureAwait(false);
        var attempt = run.ReadableResultAttempt();
        var offset = (long)(page - 1) * perPage;
        var stored = await results.ReadPageAsync(run.Id, attempt, offset, perPage, cancellationToken).ConfigureAwait(false)
            ?? throw RunResults.Missing();
        var columns = stored.Columns.Select(column => new ResultColumnDto(column.Name, column.TypeName)).ToArray();
        return new RunResultsDto(
            run.Id, columns, run.Truncated ?? false, stored.CellsTruncated, stored.Rows, Pagination.Create(page, perPage, stored.TotalRows));
    }

    private static (int Page, int PerPage) Paging(IReadOnlyDictionary<string, string?> query)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var page = Number(query, "page", 1, 1, int.MaxValue / MaxPerPage, errors);
        var perPage = Number(query, "per_page", DefaultPerPage, 1, MaxPerPage, errors);
        return errors.Count > 0 ? throw new ValidationFailedException(errors) : (page, perPage);
    }

    private static int Number(IReadOnlyDictionary<string, string?> query, string name, int fallback, int min, int max, Dictionary<string, string[]> errors)
    {
        if (!query.TryGetValue(name, out var text) || string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors[name] = [$"{name} is a whole number from {min} to {max}."];
        return fallback;
    }
}

/// <summary>
/// Finds a run among those the caller may see (<see cref="QueryRun.IsVisibleTo"/>), or 404; whether its
/// result can be read is the run's to say (<see cref="QueryRun.ReadableResultAttempt"/>).
/// </summary>
internal static class RunResults
{
    public static async Task<QueryRun> FindAsync(IQueryable<QueryRun> visible, IQueryExecutor executor, Guid id, CancellationToken ct) =>
        await executor.FirstOrDefaultAsync(visible.Where(r => r.Id == id), ct).ConfigureAwait(false)
            ?? throw new NotFoundException("Run", id);

    /// <summary>The stored rows were removed between reading the run and reading them (the retention job ran): expired, as the run will say next time.</summary>
    public static DomainException Missing() => new(RunErrors.ResultExpired);
}
