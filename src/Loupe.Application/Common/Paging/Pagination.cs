namespace Loupe.Application.Common.Paging;

/// <summary>
/// The <c>pagination</c> object of every list response, and of a run's result pages; every field
/// follows from page, per_page and total.
/// </summary>
public sealed record Pagination
{
    private Pagination(int page, int perPage, long total)
    {
        Page = page;
        PerPage = perPage;
        Total = total;
        TotalPages = (total + perPage - 1) / perPage;
        HasNext = page < TotalPages;
        HasPrev = page > 1;
    }

    public int Page { get; }

    public int PerPage { get; }

    /// <summary>How many items the whole list has (rows, for a run's result).</summary>
    public long Total { get; }

    public long TotalPages { get; }

    public bool HasNext { get; }

    public bool HasPrev { get; }

    public static Pagination Create(PageRequest request, long total)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Create(request.Page, request.PerPage, total);
    }

    /// <summary>For pages whose size has other bounds than a list's (a run's result pages up to 10,000 rows).</summary>
    public static Pagination Create(int page, int perPage, long total)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(perPage, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        return new Pagination(page, perPage, total);
    }
}
