namespace Loupe.Application.Common.Paging;

/// <summary>One page of a list: the list body of docs/api-conventions.md, <c>{ data, pagination }</c>.</summary>
public sealed class PagedResult<T>
{
    public PagedResult(IReadOnlyList<T> data, Pagination pagination)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(pagination);
        Data = data;
        Pagination = pagination;
    }

    public IReadOnlyList<T> Data { get; }

    public Pagination Pagination { get; }

    /// <summary>Maps the rows in memory (after the query ran), keeping the pagination.</summary>
    public PagedResult<TResult> Map<TResult>(Func<T, TResult> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return new PagedResult<TResult>(Data.Select(map).ToList(), Pagination);
    }
}
