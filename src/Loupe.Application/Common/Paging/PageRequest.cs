using System.Globalization;

namespace Loupe.Application.Common.Paging;

/// <summary>Which page of a list the client asked for: 1-based, at most <see cref="MaxPerPage"/> rows.</summary>
public sealed record PageRequest
{
    public const int DefaultPage = 1;
    public const int DefaultPerPage = 20;
    public const int MaxPerPage = 100;

    private PageRequest(int page, int perPage)
    {
        Page = page;
        PerPage = perPage;
    }

    public static PageRequest Default { get; } = new(DefaultPage, DefaultPerPage);

    public int Page { get; }

    public int PerPage { get; }

    /// <summary>Rows before this page; always fits an <see cref="int"/> because creation checks it.</summary>
    public int Skip => (Page - 1) * PerPage;

    /// <summary>Builds a request from already-typed values; a null means the default.</summary>
    /// <exception cref="Exceptions.ValidationFailedException">A value is out of range.</exception>
    public static PageRequest Create(int? page = null, int? perPage = null)
    {
        var errors = new QueryParameterErrors();
        var request = Validate(page ?? DefaultPage, perPage ?? DefaultPerPage, errors);
        errors.ThrowIfAny();
        return request!;
    }

    /// <summary>Reads <c>page</c> and <c>per_page</c> from the raw query string.</summary>
    /// <exception cref="Exceptions.ValidationFailedException">A value is not a whole number or is out of range.</exception>
    public static PageRequest Parse(IReadOnlyDictionary<string, string?> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var errors = new QueryParameterErrors();
        var request = Parse(query, errors);
        errors.ThrowIfAny();
        return request!;
    }

    internal static PageRequest? Parse(IReadOnlyDictionary<string, string?> query, QueryParameterErrors errors)
    {
        var page = ParseWholeNumber(query, ListQueryParameters.Page, DefaultPage, PageMessage, errors);
        var perPage = ParseWholeNumber(query, ListQueryParameters.PerPage, DefaultPerPage, PerPageMessage, errors);
        return page is { } p && perPage is { } pp ? Validate(p, pp, errors) : null;
    }

    private static string PageMessage => "page must be a whole number of at least 1.";

    private static string PerPageMessage => $"per_page must be a whole number from 1 to {MaxPerPage}.";

    private static int? ParseWholeNumber(
        IReadOnlyDictionary<string, string?> query, string name, int fallback, string message, QueryParameterErrors errors)
    {
        var raw = QueryParameterErrors.ValueOf(query, name);
        if (raw is null)
        {
            return fallback;
        }

        if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors.Add(name, message);
        return null;
    }

    private static PageRequest? Validate(int page, int perPage, QueryParameterErrors errors)
    {
        if (page < 1)
        {
            errors.Add(ListQueryParameters.Page, PageMessage);
        }

        if (perPage is < 1 or > MaxPerPage)
        {
            errors.Add(ListQueryParameters.PerPage, PerPageMessage);
        }

        if (errors.Has(ListQueryParameters.Page) || errors.Has(ListQueryParameters.PerPage))
        {
            return null;
        }

        // Skip/Take take an int; a page whose offset overflows is one no list can reach anyway.
        if ((long)(page - 1) * perPage > int.MaxValue)
        {
            errors.Add(ListQueryParameters.Page, $"page is too large; with per_page {perPage} the largest page is {(int.MaxValue / perPage) + 1}.");
            return null;
        }

        return new PageRequest(page, perPage);
    }
}
