using System.Linq.Expressions;

namespace Loupe.Application.Common.Paging;

/// <summary>
/// A sort key of <typeparamref name="T"/>. Keeping the key type as a generic argument lets us call
/// <see cref="Queryable.OrderBy{TSource, TKey}(IQueryable{TSource}, Expression{Func{TSource, TKey}})"/>
/// with the real key type: no boxing to <see cref="object"/>, which EF Core could not translate.
/// </summary>
internal abstract class SortField<T>
{
    protected SortField(string? name) => Name = name;

    /// <summary>The whitelisted name, or null for an unnamed tie-breaker.</summary>
    public string? Name { get; }

    public abstract IOrderedQueryable<T> OrderBy(IQueryable<T> query, bool descending);

    public abstract IOrderedQueryable<T> ThenBy(IOrderedQueryable<T> query, bool descending);
}

internal sealed class SortField<T, TKey>(string? name, Expression<Func<T, TKey>> selector) : SortField<T>(name)
{
    public override IOrderedQueryable<T> OrderBy(IQueryable<T> query, bool descending) =>
        descending ? query.OrderByDescending(selector) : query.OrderBy(selector);

    public override IOrderedQueryable<T> ThenBy(IOrderedQueryable<T> query, bool descending) =>
        descending ? query.ThenByDescending(selector) : query.ThenBy(selector);
}
