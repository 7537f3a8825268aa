namespace Loupe.Application.Common.Paging;

/// <summary>
/// A validated sort for <typeparamref name="T"/>, made by <see cref="SortWhitelist{T}.Parse(string?)"/>.
/// Applying it always ends with the whitelist's unique tie-breaker, so offset pages never overlap
/// or skip rows when sort values tie.
/// </summary>
public sealed class SortSpec<T>
{
    private readonly IReadOnlyList<(SortField<T> Field, bool Descending)> _fields;
    private readonly SortField<T> _tieBreaker;

    internal SortSpec(IReadOnlyList<(SortField<T> Field, bool Descending)> fields, SortField<T> tieBreaker)
    {
        _fields = fields;
        _tieBreaker = tieBreaker;
        Keys = fields.Select(f => new SortKey(f.Field.Name!, f.Descending)).ToList();
    }

    /// <summary>The keys the client asked for (or the default), without the tie-breaker.</summary>
    public IReadOnlyList<SortKey> Keys { get; }

    /// <summary>Orders by the keys, then by the tie-breaker unless a key already is it.</summary>
    public IOrderedQueryable<T> Apply(IQueryable<T> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        IOrderedQueryable<T>? ordered = null;
        foreach (var (field, descending) in _fields)
        {
            ordered = ordered is null ? field.OrderBy(query, descending) : field.ThenBy(ordered, descending);
        }

        if (ordered is null)
        {
            return _tieBreaker.OrderBy(query, descending: false);
        }

        // A unique key already orders every row; anything after it changes nothing.
        return _fields.Any(f => ReferenceEquals(f.Field, _tieBreaker)) ? ordered : _tieBreaker.ThenBy(ordered, descending: false);
    }

    /// <summary>The canonical <c>sort</c> value, e.g. <c>-updated_at,name</c>.</summary>
    public override string ToString() => string.Join(',', Keys);
}
