using System.Linq.Expressions;
using Loupe.Application.Common.Paging;

namespace Loupe.Application.Common.Specifications;

/// <summary>
/// A named, reusable query over <typeparamref name="T"/> (criteria, ordering, includes) that the
/// application states without EF Core; Infrastructure's evaluator runs it. Ours, because
/// Ardalis.Specification cannot be restored here. Subclasses describe themselves in their constructor.
/// </summary>
public abstract class Specification<T>
{
    private readonly List<Expression<Func<T, bool>>> _criteria = [];
    private readonly List<LambdaExpression> _includes = [];
    private readonly List<(SortField<T> Key, bool Descending)> _ordering = [];

    /// <summary>Conditions a row must all meet.</summary>
    public IReadOnlyList<Expression<Func<T, bool>>> Criteria => _criteria;

    /// <summary>Navigations to load with each row, as <c>row =&gt; row.Navigation</c> lambdas.</summary>
    public IReadOnlyList<LambdaExpression> Includes => _includes;

    /// <summary>True unless the specification loads aggregates to change: reads need no change tracking.</summary>
    public bool AsNoTracking { get; private set; } = true;

    /// <summary>Applies the criteria (AND) and the ordering, if any, to <paramref name="source"/>.</summary>
    public IQueryable<T> ApplyTo(IQueryable<T> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var query = _criteria.Aggregate(source, (current, predicate) => current.Where(predicate));

        IOrderedQueryable<T>? ordered = null;
        foreach (var (key, descending) in _ordering)
        {
            ordered = ordered is null ? key.OrderBy(query, descending) : key.ThenBy(ordered, descending);
        }

        return ordered ?? query;
    }

    protected void Where(Expression<Func<T, bool>> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        _criteria.Add(predicate);
    }

    protected void Include<TProperty>(Expression<Func<T, TProperty>> navigation)
    {
        ArgumentNullException.ThrowIfNull(navigation);
        _includes.Add(navigation);
    }

    /// <summary>Adds an ordering key; the first call orders, later calls break ties.</summary>
    protected void OrderBy<TKey>(Expression<Func<T, TKey>> key, bool descending = false)
    {
        ArgumentNullException.ThrowIfNull(key);
        _ordering.Add((new SortField<T, TKey>(null, key), descending));
    }

    /// <summary>For commands: the loaded entities are tracked so that saving persists their changes.</summary>
    protected void AsTracking() => AsNoTracking = false;
}
