using System.Globalization;
using Loupe.Application.Common.Connectors;
using Loupe.Application.Common.Exceptions;
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

/// <summary>A page of rows: values as JSON numbers, booleans, strings or null, in column order; a cell too long for the page is an object (see rows).</summary>
/// <param name="Truncated">The run's result was cut by the row or byte limit of the run (the rows stored are not all the query's).</param>
/// <param name="Rows">
/// Each row's cells in column order: a number, boolean, string or null; or, for a cell whose text is longer
/// than a page shows of one cell (Runs:MaxPageCellBytes) or that comes after the page's byte budget
/// (Runs:MaxPageBytes) was used up, the object {"truncated": true, "bytes": length of the whole text in
/// UTF-8 bytes, "prefix": the text's start}. No other cell is ever an object. The whole value is in
/// results.csv and results.json.
/// </param>
/// <param name="CellsTruncated">How many cells of this page are {"truncated": true, …} objects; 0 when every cell is whole.</param>
public sealed record RunResultsDto(
    Guid RunId,
    IReadOnlyList<QueryColumn> Columns,
    long TotalRows,
    bool Truncated,
    int Page,
    int PerPage,
    IReadOnlyList<object?[]> Rows,
    int CellsTruncated);

internal sealed class GetRunResultsQueryHandler(IReadStore store, IQueryExecutor executor, IResultStore results)
    : IRequestHandler<GetRunResultsQuery, RunResultsDto>
{
    public const int DefaultPerPage = 1000;
    public const int MaxPerPage = 10_000;

    public async Task<RunResultsDto> Handle(GetRunResultsQuery request, CancellationToken cancellationToken)
    {
        var (page, perPage) = Paging(request.Query);
        var run = await RunResults.FindWithResultAsync(store, executor, request.Id, cancellationToken).ConfigureAwait(false);
        var offset = (long)(page - 1) * perPage;
        var stored = await results.ReadPageAsync(run.Id, run.ResultAttempt!.Value, offset, perPage, cancellationToken).ConfigureAwait(false)
            ?? throw RunResults.Missing();
        return new RunResultsDto(run.Id, stored.Columns, stored.TotalRows, run.Truncated ?? false, page, perPage, stored.Rows, stored.CellsTruncated);
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
/// Finds a run whose result can be read, or says why not: 404 for no such run (in this organization),
/// 409 while it has not succeeded (not finished yet, or it ended without a result), 410 once its
/// stored result has expired (it will never come back; run the query again).
/// </summary>
internal static class RunResults
{
    public static async Task<QueryRun> FindWithResultAsync(IReadStore store, IQueryExecutor executor, Guid id, CancellationToken ct)
    {
        var run = await executor.FirstOrDefaultAsync(store.Query<QueryRun>().Where(r => r.Id == id), ct).ConfigureAwait(false)
            ?? throw new NotFoundException("Run", id);
        if (run.Status != RunStatus.Succeeded)
        {
            throw new DomainException(run.Status.IsFinished() ? RunErrors.NoResult(run.Status) : RunErrors.NotFinished(run.Status));
        }

        return run.ResultExpired || run.ResultAttempt is null ? throw Missing() : run;
    }

    public static DomainException Missing() => new(RunErrors.ResultExpired);
}
