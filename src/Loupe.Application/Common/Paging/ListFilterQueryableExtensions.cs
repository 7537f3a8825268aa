using System.Linq.Expressions;
using System.Reflection;

namespace Loupe.Application.Common.Paging;

/// <summary>
/// Applies the <see cref="ListFilter"/> fields a resource supports, given selectors for its columns.
/// Each helper does nothing when its filter is absent. The predicates use only operators, string
/// <c>ToLower</c>/<c>Contains</c> and <c>Enumerable.Contains</c>, which EF Core with Npgsql translates,
/// and they read filter values through a member access so EF sends them as SQL parameters.
/// </summary>
public static class ListFilterQueryableExtensions
{
    private static readonly MethodInfo ToLower = typeof(string).GetMethod(nameof(string.ToLower), Type.EmptyTypes)!;
    private static readonly MethodInfo StringContains = typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!;
    private static readonly MethodInfo EnumerableContains = typeof(Enumerable).GetMethods()
        .Single(m => m.Name == nameof(Enumerable.Contains) && m.GetParameters().Length == 2)
        .MakeGenericMethod(typeof(string));

    /// <summary><c>q</c>: keeps rows where any of <paramref name="fields"/> contains the text, ignoring case; null columns never match.</summary>
    public static IQueryable<T> ApplyText<T>(this IQueryable<T> query, ListFilter filter, params Expression<Func<T, string?>>[] fields)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(fields);
        if (filter.Text is null || fields.Length == 0)
        {
            return query;
        }

        var row = Expression.Parameter(typeof(T), "row");
        var term = Captured(filter.Text.ToLowerInvariant());
        var body = fields
            .Select(field =>
            {
                var column = Rebind(field, row);
                return (Expression)Expression.AndAlso(
                    Expression.NotEqual(column, Expression.Constant(null, typeof(string))),
                    Expression.Call(Expression.Call(column, ToLower), StringContains, term));
            })
            .Aggregate(Expression.OrElse);
        return query.Where(Expression.Lambda<Func<T, bool>>(body, row));
    }

    /// <summary><c>tags</c>: keeps rows whose tag collection (e.g. a <c>text[]</c> column) holds every requested tag.</summary>
    public static IQueryable<T> ApplyTags<T, TCollection>(
        this IQueryable<T> query, ListFilter filter, Expression<Func<T, TCollection>> tags)
        where TCollection : IEnumerable<string>
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(tags);
        foreach (var tag in filter.Tags)
        {
            var body = Expression.Call(EnumerableContains, tags.Body, Captured(tag));
            query = query.Where(Expression.Lambda<Func<T, bool>>(body, tags.Parameters));
        }

        return query;
    }

    /// <summary><c>created_after</c>/<c>created_before</c>, both inclusive.</summary>
    public static IQueryable<T> ApplyCreatedRange<T>(this IQueryable<T> query, ListFilter filter, Expression<Func<T, DateTimeOffset>> createdAt)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return query.ApplyRange(createdAt, filter.CreatedAfter, filter.CreatedBefore);
    }

    /// <summary><c>{field}_after</c>/<c>{field}_before</c> of a resource's own timestamp field, both inclusive.</summary>
    public static IQueryable<T> ApplyRange<T>(this IQueryable<T> query, TimeRange range, Expression<Func<T, DateTimeOffset>> column) =>
        query.ApplyRange(column, range.After, range.Before);

    /// <summary><c>updated_after</c>/<c>updated_before</c>, both inclusive.</summary>
    public static IQueryable<T> ApplyUpdatedRange<T>(this IQueryable<T> query, ListFilter filter, Expression<Func<T, DateTimeOffset>> updatedAt)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return query.ApplyRange(updatedAt, filter.UpdatedAfter, filter.UpdatedBefore);
    }

    /// <summary><c>owner_id</c>: keeps rows owned by that user.</summary>
    public static IQueryable<T> ApplyOwner<T>(this IQueryable<T> query, ListFilter filter, Expression<Func<T, Guid>> ownerId)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return filter.OwnerId is { } owner ? query.WhereCompared(ownerId, owner, ExpressionType.Equal) : query;
    }

    /// <summary><c>status</c>: keeps rows whose status, as <paramref name="toStatus"/> converts the text, equals it.</summary>
    public static IQueryable<T> ApplyStatus<T, TStatus>(
        this IQueryable<T> query, ListFilter filter, Expression<Func<T, TStatus>> status, Func<string, TStatus> toStatus)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(toStatus);
        return filter.Status is { } text ? query.WhereCompared(status, toStatus(text), ExpressionType.Equal) : query;
    }

    /// <summary>
    /// <c>status</c> of an item (<see cref="ItemStatuses"/>): <c>archived</c> keeps the archived rows,
    /// anything else (<c>active</c>, or no filter) the active ones: archived items are hidden from a
    /// list unless asked for.
    /// </summary>
    public static IQueryable<T> ApplyItemStatus<T>(this IQueryable<T> query, ListFilter filter, Expression<Func<T, DateTimeOffset?>> archivedAt)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(archivedAt);
        var archived = filter.Status == ItemStatuses.Archived;
        var unset = Expression.Constant(null, typeof(DateTimeOffset?));
        var body = archived ? Expression.NotEqual(archivedAt.Body, unset) : Expression.Equal(archivedAt.Body, unset);
        return query.Where(Expression.Lambda<Func<T, bool>>(body, archivedAt.Parameters));
    }

    /// <summary><c>status</c> for a plain text column.</summary>
    public static IQueryable<T> ApplyStatus<T>(this IQueryable<T> query, ListFilter filter, Expression<Func<T, string>> status) =>
        query.ApplyStatus(filter, status, text => text);

    private static IQueryable<T> ApplyRange<T>(
        this IQueryable<T> query, Expression<Func<T, DateTimeOffset>> column, DateTimeOffset? from, DateTimeOffset? to)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(column);
        if (from is { } lower)
        {
            query = query.WhereCompared(column, lower, ExpressionType.GreaterThanOrEqual);
        }

        if (to is { } upper)
        {
            query = query.WhereCompared(column, upper, ExpressionType.LessThanOrEqual);
        }

        return query;
    }

    private static IQueryable<T> WhereCompared<T, TValue>(
        this IQueryable<T> query, Expression<Func<T, TValue>> column, TValue value, ExpressionType comparison)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(column);
        var body = Expression.MakeBinary(comparison, column.Body, Captured(value));
        return query.Where(Expression.Lambda<Func<T, bool>>(body, column.Parameters));
    }

    private static Expression Rebind<T>(Expression<Func<T, string?>> field, ParameterExpression row) =>
        new ParameterReplacer(field.Parameters[0], row).Visit(field.Body);

    /// <summary>A member access on a holder, like a lambda's closure, so EF parameterizes the value instead of inlining it.</summary>
    private static MemberExpression Captured<TValue>(TValue value) =>
        Expression.Property(Expression.Constant(new Holder<TValue>(value)), nameof(Holder<TValue>.Value));

    private sealed class Holder<TValue>(TValue value)
    {
        public TValue Value { get; } = value;
    }

    private sealed class ParameterReplacer(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}
