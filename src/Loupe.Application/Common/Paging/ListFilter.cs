namespace Loupe.Application.Common.Paging;

/// <summary>
/// The common list filters (docs/api-conventions.md), validated. Each is null (or empty) when the client did not
/// send it; resources apply the ones that make sense for them with <see cref="ListFilterQueryableExtensions"/>.
/// </summary>
public sealed class ListFilter
{
    public const int MaxTextLength = 200;
    public const int MaxTags = 20;
    public const int MaxTagLength = 50;
    public const int MaxStatusLength = 50;

    public static ListFilter None { get; } = new();

    /// <summary><c>q</c>: a case-insensitive substring of the name or description.</summary>
    public string? Text { get; init; }

    /// <summary><c>tags</c>: a row must carry every one of them.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Inclusive lower bound of the creation time, in UTC.</summary>
    public DateTimeOffset? CreatedAfter { get; init; }

    /// <summary>Inclusive upper bound of the creation time, in UTC.</summary>
    public DateTimeOffset? CreatedBefore { get; init; }

    public DateTimeOffset? UpdatedAfter { get; init; }

    public DateTimeOffset? UpdatedBefore { get; init; }

    public Guid? OwnerId { get; init; }

    /// <summary>The resource's closed-set filter: <c>status</c>, or <c>role</c> for members.</summary>
    public string? Status { get; init; }

    /// <summary>
    /// The resource's own UUID filters that were given (e.g. <c>datasource_id</c>, <c>query_id</c>),
    /// keyed by parameter name; read them with <see cref="IdOf"/>.
    /// </summary>
    public IReadOnlyDictionary<string, Guid> Ids { get; init; } = new Dictionary<string, Guid>(StringComparer.Ordinal);

    /// <summary>
    /// The resource's own timestamp ranges that were given (e.g. <c>queued</c> for
    /// <c>queued_after</c>/<c>queued_before</c>), keyed by field; read them with <see cref="RangeOf"/>.
    /// </summary>
    public IReadOnlyDictionary<string, TimeRange> Ranges { get; init; } = new Dictionary<string, TimeRange>(StringComparer.Ordinal);

    /// <summary>The range of the timestamp field <paramref name="field"/>; both bounds null when not given.</summary>
    public TimeRange RangeOf(string field) => Ranges.TryGetValue(field, out var range) ? range : default;

    /// <summary>
    /// The resource's other closed-set filters that were given (e.g. <c>type</c> for visualizations),
    /// keyed by parameter name; read them with <see cref="ChoiceOf"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string> Choices { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The value of the closed-set filter <paramref name="name"/>, or null when it was not given.</summary>
    public string? ChoiceOf(string name) => Choices.GetValueOrDefault(name);

    /// <summary>The value of the UUID filter <paramref name="name"/>, or null when it was not given.</summary>
    public Guid? IdOf(string name) => Ids.TryGetValue(name, out var id) ? id : null;

    /// <summary>Reads the filters from the raw query string; unrelated parameters are ignored.</summary>
    /// <param name="query">The raw query string, one value per name.</param>
    /// <param name="allowedStatuses">The resource's statuses; when given, any other <c>status</c> is refused.</param>
    /// <exception cref="Exceptions.ValidationFailedException">Every invalid filter, keyed by its parameter name.</exception>
    public static ListFilter Parse(IReadOnlyDictionary<string, string?> query, IReadOnlyCollection<string>? allowedStatuses = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        var errors = new QueryParameterErrors();
        var filter = Parse(query, allowedStatuses, errors);
        errors.ThrowIfAny();
        return filter;
    }

    internal static ListFilter Parse(
        IReadOnlyDictionary<string, string?> query,
        IReadOnlyCollection<string>? allowedStatuses,
        QueryParameterErrors errors,
        IReadOnlyCollection<string>? idFilters = null,
        IReadOnlyCollection<string>? rangeFields = null,
        string statusParameter = ListQueryParameters.Status,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? choiceFilters = null)
    {
        var text = QueryParameterErrors.ValueOf(query, ListQueryParameters.Text);
        if (text is { Length: > MaxTextLength })
        {
            errors.Add(ListQueryParameters.Text, $"q must be at most {MaxTextLength} characters.");
        }

        var createdAfter = ParseTimestamp(query, ListQueryParameters.CreatedAfter, errors);
        var createdBefore = ParseTimestamp(query, ListQueryParameters.CreatedBefore, errors);
        var updatedAfter = ParseTimestamp(query, ListQueryParameters.UpdatedAfter, errors);
        var updatedBefore = ParseTimestamp(query, ListQueryParameters.UpdatedBefore, errors);
        CheckRange(createdAfter, createdBefore, ListQueryParameters.CreatedAfter, ListQueryParameters.CreatedBefore, errors);
        CheckRange(updatedAfter, updatedBefore, ListQueryParameters.UpdatedAfter, ListQueryParameters.UpdatedBefore, errors);

        return new ListFilter
        {
            Text = text,
            Tags = ParseTags(query, errors),
            CreatedAfter = createdAfter,
            CreatedBefore = createdBefore,
            UpdatedAfter = updatedAfter,
            UpdatedBefore = updatedBefore,
            OwnerId = ParseId(query, ListQueryParameters.OwnerId, errors),
            Status = ParseStatus(query, statusParameter, allowedStatuses, errors),
            Ids = ParseIds(query, idFilters, errors),
            Ranges = ParseRanges(query, rangeFields, errors),
            Choices = ParseChoices(query, choiceFilters, errors),
        };
    }

    private static Dictionary<string, string> ParseChoices(
        IReadOnlyDictionary<string, string?> query, IReadOnlyDictionary<string, IReadOnlyList<string>>? filters, QueryParameterErrors errors)
    {
        var choices = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, allowed) in filters ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            if (ParseStatus(query, name, allowed, errors) is { } value)
            {
                choices[name] = value;
            }
        }

        return choices;
    }

    private static Dictionary<string, TimeRange> ParseRanges(
        IReadOnlyDictionary<string, string?> query, IReadOnlyCollection<string>? fields, QueryParameterErrors errors)
    {
        var ranges = new Dictionary<string, TimeRange>(StringComparer.Ordinal);
        foreach (var field in fields ?? [])
        {
            var (afterName, beforeName) = ListQueryParameters.RangeOf(field);
            var after = ParseTimestamp(query, afterName, errors);
            var before = ParseTimestamp(query, beforeName, errors);
            CheckRange(after, before, afterName, beforeName, errors);
            ranges[field] = new TimeRange(after, before);
        }

        return ranges;
    }

    private static Dictionary<string, Guid> ParseIds(
        IReadOnlyDictionary<string, string?> query, IReadOnlyCollection<string>? names, QueryParameterErrors errors)
    {
        var ids = new Dictionary<string, Guid>(StringComparer.Ordinal);
        foreach (var name in names ?? [])
        {
            if (ParseId(query, name, errors) is { } id)
            {
                ids[name] = id;
            }
        }

        return ids;
    }

    private static List<string> ParseTags(IReadOnlyDictionary<string, string?> query, QueryParameterErrors errors)
    {
        const string Name = ListQueryParameters.Tags;
        var raw = QueryParameterErrors.ValueOf(query, Name);
        if (raw is null)
        {
            return [];
        }

        var tags = raw.Split(',').Select(t => t.Trim()).ToList();
        if (tags.Exists(t => t.Length == 0))
        {
            errors.Add(Name, "tags must not contain empty items.");
        }

        if (tags.Count > MaxTags)
        {
            errors.Add(Name, $"tags may list at most {MaxTags} tags.");
        }

        if (tags.Exists(t => t.Length > MaxTagLength))
        {
            errors.Add(Name, $"Each tag must be at most {MaxTagLength} characters.");
        }

        return errors.Has(Name) ? [] : tags.Distinct(StringComparer.Ordinal).ToList();
    }

    private static DateTimeOffset? ParseTimestamp(IReadOnlyDictionary<string, string?> query, string name, QueryParameterErrors errors)
    {
        var raw = QueryParameterErrors.ValueOf(query, name);
        if (raw is null)
        {
            return null;
        }

        if (Rfc3339.TryParse(raw, out var value))
        {
            return value;
        }

        errors.Add(name, $"{name} must be an RFC 3339 timestamp with an offset, e.g. 2025-05-01T12:00:00Z.");
        return null;
    }

    private static void CheckRange(DateTimeOffset? after, DateTimeOffset? before, string afterName, string beforeName, QueryParameterErrors errors)
    {
        if (after > before)
        {
            errors.Add(afterName, $"{afterName} must not be later than {beforeName}.");
        }
    }

    private static Guid? ParseId(IReadOnlyDictionary<string, string?> query, string name, QueryParameterErrors errors)
    {
        var raw = QueryParameterErrors.ValueOf(query, name);
        if (raw is null)
        {
            return null;
        }

        if (Guid.TryParseExact(raw, "D", out var id))
        {
            return id;
        }

        errors.Add(name, $"{name} must be a UUID, e.g. 0190f5c2-7b1e-7cc0-9a4e-5f1f0f6f2d3a.");
        return null;
    }

    private static string? ParseStatus(
        IReadOnlyDictionary<string, string?> query, string name, IReadOnlyCollection<string>? allowedStatuses, QueryParameterErrors errors)
    {
        var raw = QueryParameterErrors.ValueOf(query, name);
        if (raw is null)
        {
            return null;
        }

        if (allowedStatuses is not null && !allowedStatuses.Contains(raw, StringComparer.Ordinal))
        {
            errors.Add(name, $"Unknown {name}. Allowed values: {string.Join(", ", allowedStatuses)}.");
            return null;
        }

        if (raw.Length > MaxStatusLength)
        {
            errors.Add(name, $"{name} must be at most {MaxStatusLength} characters.");
            return null;
        }

        return raw;
    }
}
