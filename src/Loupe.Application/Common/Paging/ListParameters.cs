namespace Loupe.Application.Common.Paging;

/// <summary>Everything a list endpoint reads from its query string: page, sort and filters, validated together.</summary>
public sealed record ListParameters<T>(PageRequest Page, SortSpec<T> Sort, ListFilter Filter);

public static class ListParameters
{
    /// <summary>
    /// Parses <c>page</c>, <c>per_page</c>, <c>sort</c> and the filters at once, so one 400 reports
    /// every bad parameter.
    /// </summary>
    /// <exception cref="Exceptions.ValidationFailedException">All invalid parameters, keyed by name.</exception>
    public static ListParameters<T> Parse<T>(
        IReadOnlyDictionary<string, string?> query, SortWhitelist<T> sorts, IReadOnlyCollection<string>? allowedStatuses = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(sorts);
        var errors = new QueryParameterErrors();
        var page = PageRequest.Parse(query, errors);
        var sort = sorts.Parse(QueryParameterErrors.ValueOf(query, ListQueryParameters.Sort), errors);
        var filter = ListFilter.Parse(query, allowedStatuses, errors);
        errors.ThrowIfAny();
        return new ListParameters<T>(page!, sort!, filter);
    }
}
