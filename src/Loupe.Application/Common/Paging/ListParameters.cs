namespace Loupe.Application.Common.Paging;

/// <summary>Everything a list endpoint reads from its query string: page, sort and filters, validated together.</summary>
public sealed record ListParameters<T>(PageRequest Page, SortSpec<T> Sort, ListFilter Filter);

public static class ListParameters
{
    /// <summary>
    /// Parses <c>page</c>, <c>per_page</c>, <c>sort</c> and the filters at once, so one 400 reports
    /// every bad parameter.
    /// </summary>
    /// <param name="query">The raw query string, one value per name.</param>
    /// <param name="sorts">The resource's sortable fields.</param>
    /// <param name="allowedStatuses">The resource's statuses; when given, any other <c>status</c> is refused.</param>
    /// <param name="idFilters">The resource's own UUID filters (e.g. <c>datasource_id</c>), read into <see cref="ListFilter.Ids"/>.</param>
    /// <exception cref="Exceptions.ValidationFailedException">All invalid parameters, keyed by name.</exception>
    public static ListParameters<T> Parse<T>(
        IReadOnlyDictionary<string, string?> query,
        SortWhitelist<T> sorts,
        IReadOnlyCollection<string>? allowedStatuses = null,
        IReadOnlyCollection<string>? idFilters = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(sorts);
        var errors = new QueryParameterErrors();
        var page = PageRequest.Parse(query, errors);
        var sort = sorts.Parse(QueryParameterErrors.ValueOf(query, ListQueryParameters.Sort), errors);
        var filter = ListFilter.Parse(query, allowedStatuses, errors, idFilters);
        errors.ThrowIfAny();
        return new ListParameters<T>(page!, sort!, filter);
    }
}
