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
    /// <param name="rangeFields">
    /// The resource's own timestamp fields filtered by range (e.g. <c>queued</c> for <c>queued_after</c>
    /// and <c>queued_before</c>), read into <see cref="ListFilter.Ranges"/>.
    /// </param>
    /// <param name="statusParameter">
    /// The name the resource's closed-set filter goes by: <c>status</c>, or the field the record shows
    /// (<c>role</c> for members).
    /// </param>
    /// <param name="choiceFilters">
    /// The resource's other closed-set filters, each name with its allowed values (e.g. <c>type</c>),
    /// read into <see cref="ListFilter.Choices"/>.
    /// </param>
    /// <exception cref="Exceptions.ValidationFailedException">All invalid parameters, keyed by name.</exception>
    public static ListParameters<T> Parse<T>(
        IReadOnlyDictionary<string, string?> query,
        SortWhitelist<T> sorts,
        IReadOnlyCollection<string>? allowedStatuses = null,
        IReadOnlyCollection<string>? idFilters = null,
        IReadOnlyCollection<string>? rangeFields = null,
        string statusParameter = ListQueryParameters.Status,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? choiceFilters = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(sorts);
        var errors = new QueryParameterErrors();
        var page = PageRequest.Parse(query, errors);
        var sort = sorts.Parse(QueryParameterErrors.ValueOf(query, ListQueryParameters.Sort), errors);
        var filter = ListFilter.Parse(query, allowedStatuses, errors, idFilters, rangeFields, statusParameter, choiceFilters);
        errors.ThrowIfAny();
        return new ListParameters<T>(page!, sort!, filter);
    }
}
