namespace Loupe.Application.Common.Paging;

/// <summary>The <c>pagination</c> object of a list response; every field follows from page, per_page and total.</summary>
public sealed record Pagination
{
    private Pagination(int page, int perPage, int total)
    {
        Page = page;
        PerPage = perPage;
        Total = total;
        TotalPages = (int)(((long)total + perPage - 1) / perPage);
        HasNext = page < TotalPages;
        HasPrev = page > 1;
    }

    public int Page { get; }

    public int PerPage { get; }

    public int Total { get; }

    public int TotalPages { get; }

    public bool HasNext { get; }

    public bool HasPrev { get; }

    public static Pagination Create(PageRequest request, int total)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        return new Pagination(request.Page, request.PerPage, total);
    }
}
