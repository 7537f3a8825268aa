using System.Linq.Expressions;
using Loupe.Application.Common.Persistence;
using Loupe.Domain.Common;

namespace Loupe.Application.Common.Paging;

/// <summary>
/// The one way a list query becomes a page: count, sort with the tie-breaker, skip, take. A page of
/// entities is read ids first (see <see cref="PageOf{T}"/>), so a deep page costs index entries
/// rather than whole rows (ADR 0060).
/// </summary>
public static class PagingQueryableExtensions
{
    /// <summary>Pages <paramref name="query"/> (already filtered) and returns its rows as they are.</summary>
    public static Task<PagedResult<T>> ToPageAsync<T>(
        this IQueryable<T> query, PageRequest page, SortSpec<T> sort, IQueryExecutor executor, CancellationToken cancellationToken) =>
        PageAsync(query, page, sort, paged => paged, executor, cancellationToken);

    /// <summary>
    /// Pages <paramref name="query"/>, sorting on the entity and projecting each row to a DTO after
    /// ordering and paging, so sort keys need not appear in the DTO.
    /// </summary>
    public static Task<PagedResult<TResult>> ToPageAsync<T, TResult>(
        this IQueryable<T> query,
        PageRequest page,
        SortSpec<T> sort,
        Expression<Func<T, TResult>> projection,
        IQueryExecutor executor,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(projection);
        return PageAsync(query, page, sort, paged => paged.Select(projection), executor, cancellationToken);
    }

    /// <summary>
    /// Pages rows already in memory (a short list the server computes, such as tags with their counts)
    /// exactly as a database list is paged: sorted with the tie-breaker, then skipped and taken.
    /// </summary>
    public static PagedResult<T> ToPage<T>(this IEnumerable<T> rows, ListParameters<T> parameters)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(parameters);
        var sorted = parameters.Sort.Apply(rows.AsQueryable()).ToList();
        var page = sorted.Skip(parameters.Page.Skip).Take(parameters.Page.PerPage).ToList();
        return new PagedResult<T>(page, Pagination.Create(parameters.Page, sorted.Count));
    }

    /// <summary>Pages with the page and sort of parsed <see cref="ListParameters{T}"/>; apply its filter first.</summary>
    public static Task<PagedResult<T>> ToPageAsync<T>(
        this IQueryable<T> query, ListParameters<T> parameters, IQueryExecutor executor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return query.ToPageAsync(parameters.Page, parameters.Sort, executor, cancellationToken);
    }

    /// <summary>Pages with the page and sort of parsed <see cref="ListParameters{T}"/>, projecting after paging.</summary>
    public static Task<PagedResult<TResult>> ToPageAsync<T, TResult>(
        this IQueryable<T> query,
        ListParameters<T> parameters,
        Expression<Func<T, TResult>> projection,
        IQueryExecutor executor,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return query.ToPageAsync(parameters.Page, parameters.Sort, projection, executor, cancellationToken);
    }

    /// <summary>
    /// Pages with the page and sort of parsed <see cref="ListParameters{T}"/>, then turns the page's
    /// rows into DTOs with <paramref name="project"/> (a Mapster <c>ProjectToType</c>), so the
    /// database returns only the columns the DTO reads.
    /// </summary>
    public static Task<PagedResult<TResult>> ToPageAsync<T, TResult>(
        this IQueryable<T> query,
        ListParameters<T> parameters,
        Func<IQueryable<T>, IQueryable<TResult>> project,
        IQueryExecutor executor,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(project);
        return PageAsync(query, parameters.Page, parameters.Sort, project, executor, cancellationToken);
    }

    private static async Task<PagedResult<TResult>> PageAsync<T, TResult>(
        IQueryable<T> query,
        PageRequest page,
        SortSpec<T> sort,
        Func<IQueryable<T>, IQueryable<TResult>> project,
        IQueryExecutor executor,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(sort);
        ArgumentNullException.ThrowIfNull(executor);

        var total = await executor.CountAsync(query, cancellationToken).ConfigureAwait(false);
        var pagination = Pagination.Create(page, total);

        // Past the last row there is nothing to fetch: spare the database the second query.
        if (page.Skip >= total)
        {
            return new PagedResult<TResult>([], pagination);
        }

        var rows = project(PageOf(query, sort, page));
        var data = await executor.ToListAsync(rows, cancellationToken).ConfigureAwait(false);
        return new PagedResult<TResult>(data, pagination);
    }

    /// <summary>
    /// The rows of one page, sorted. For entities it is one statement in two steps: the page's ids
    /// (sorted, skipped and taken: an index in the list's order answers this part alone, without
    /// reading a row, however deep the page), then those rows by primary key, sorted again. Skipping
    /// whole rows instead makes PostgreSQL read every row before the page: a deep page of 100,000
    /// was twice as slow as the list's p99 target.
    /// </summary>
    private static IQueryable<T> PageOf<T>(IQueryable<T> query, SortSpec<T> sort, PageRequest page)
    {
        var paged = sort.Apply(query).Skip(page.Skip).Take(page.PerPage);
        if (!typeof(Entity).IsAssignableFrom(typeof(T)))
        {
            return paged;
        }

        var inner = Expression.Parameter(typeof(T), "candidate");
        var ids = paged.Select(Expression.Lambda<Func<T, Guid>>(Expression.Property(inner, nameof(Entity.Id)), inner));
        var row = Expression.Parameter(typeof(T), "row");
        var inPage = Expression.Lambda<Func<T, bool>>(
            Expression.Call(typeof(Queryable), nameof(Queryable.Contains), [typeof(Guid)], ids.Expression, Expression.Property(row, nameof(Entity.Id))),
            row);
        return sort.Apply(query.Where(inPage));
    }
}
