using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;

namespace Loupe.Application.Common.Paging;

/// <summary>
/// The fields a resource may be sorted by, its unique tie-breaker and its default sort. Built once
/// per resource, fluently and immutably:
/// <c>SortWhitelist&lt;Row&gt;.For().Field("name", r =&gt; r.Name).TieBreaker(r =&gt; r.Id).Default("-updated_at")</c>.
/// </summary>
public sealed class SortWhitelist<T>
{
    /// <summary>Longer values are refused before parsing, which also bounds the error messages.</summary>
    public const int MaxSortLength = 500;

    private readonly IReadOnlyList<SortField<T>> _fields;
    private readonly SortField<T>? _tieBreaker;
    private readonly IReadOnlyList<(SortField<T> Field, bool Descending)> _defaultKeys;

    private SortWhitelist(
        IReadOnlyList<SortField<T>> fields,
        SortField<T>? tieBreaker,
        IReadOnlyList<(SortField<T> Field, bool Descending)> defaultKeys)
    {
        _fields = fields;
        _tieBreaker = tieBreaker;
        _defaultKeys = defaultKeys;
    }

    public IReadOnlyList<string> FieldNames => _fields.Select(f => f.Name!).ToList();

    [SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = "Reads as SortWhitelist<Row>.For() at the call site.")]
    public static SortWhitelist<T> For() => new([], null, []);

    /// <summary>Allows sorting by <paramref name="name"/> (snake_case, as the client spells it).</summary>
    public SortWhitelist<T> Field<TKey>(string name, Expression<Func<T, TKey>> selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        if (string.IsNullOrEmpty(name) || !name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
        {
            throw new ArgumentException($"Sort field '{name}' must be snake_case.", nameof(name));
        }

        if (Find(name) is not null)
        {
            throw new ArgumentException($"Sort field '{name}' is already whitelisted.", nameof(name));
        }

        return new SortWhitelist<T>([.. _fields, new SortField<T, TKey>(name, selector)], _tieBreaker, _defaultKeys);
    }

    /// <summary>Sets the unique key appended to every sort; it need not be a whitelisted field.</summary>
    public SortWhitelist<T> TieBreaker<TKey>(Expression<Func<T, TKey>> uniqueKey)
    {
        ArgumentNullException.ThrowIfNull(uniqueKey);
        return new SortWhitelist<T>(_fields, new SortField<T, TKey>(null, uniqueKey), _defaultKeys);
    }

    /// <summary>Uses a whitelisted field as the tie-breaker; it is then not appended when the client already sorts by it.</summary>
    public SortWhitelist<T> TieBreaker(string fieldName) =>
        new(_fields, Find(fieldName) ?? throw new ArgumentException($"Sort field '{fieldName}' is not whitelisted.", nameof(fieldName)), _defaultKeys);

    /// <summary>The sort used when the client sends none; name only fields added before this call.</summary>
    public SortWhitelist<T> Default(string sort)
    {
        var errors = new QueryParameterErrors();
        var keys = ParseKeys(sort, errors);
        if (errors.HasAny || keys.Count == 0)
        {
            throw new ArgumentException($"Default sort '{sort}' must name whitelisted fields.", nameof(sort));
        }

        return new SortWhitelist<T>(_fields, _tieBreaker, keys);
    }

    /// <summary>Parses a client's <c>sort</c> value; null or blank gives the default sort.</summary>
    /// <exception cref="Exceptions.ValidationFailedException">Keyed <c>sort</c>: an empty item, a duplicate, or a field not whitelisted (the message lists the allowed ones).</exception>
    public SortSpec<T> Parse(string? sort)
    {
        var errors = new QueryParameterErrors();
        var spec = Parse(sort, errors);
        errors.ThrowIfAny();
        return spec!;
    }

    internal SortSpec<T>? Parse(string? sort, QueryParameterErrors errors)
    {
        var unique = _tieBreaker ?? throw new InvalidOperationException(
            $"The sort whitelist of {typeof(T).Name} needs a TieBreaker so that pages are stable.");

        if (string.IsNullOrWhiteSpace(sort))
        {
            return new SortSpec<T>(_defaultKeys, unique);
        }

        var keys = ParseKeys(sort, errors);
        return errors.Has(ListQueryParameters.Sort) ? null : new SortSpec<T>(keys, unique);
    }

    private List<(SortField<T> Field, bool Descending)> ParseKeys(string sort, QueryParameterErrors errors)
    {
        const string Name = ListQueryParameters.Sort;
        var keys = new List<(SortField<T> Field, bool Descending)>();
        if (sort.Length > MaxSortLength)
        {
            errors.Add(Name, $"sort must be at most {MaxSortLength} characters.");
            return keys;
        }

        foreach (var rawItem in sort.Split(','))
        {
            var item = rawItem.Trim();
            var descending = item.StartsWith('-');
            var name = descending ? item[1..] : item;
            if (name.Length == 0)
            {
                errors.Add(Name, "sort must not contain empty items; separate fields with single commas, e.g. -updated_at,name.");
                continue;
            }

            if (Find(name) is not { } field)
            {
                errors.Add(Name, $"Unknown sort field '{name}'. Allowed fields: {string.Join(", ", FieldNames)}.");
                continue;
            }

            if (keys.Exists(k => ReferenceEquals(k.Field, field)))
            {
                errors.Add(Name, $"sort field '{name}' appears more than once.");
                continue;
            }

            keys.Add((field, descending));
        }

        return keys;
    }

    private SortField<T>? Find(string name) =>
        _fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.Ordinal));
}
