using Loupe.Application.Common.Exceptions;

namespace Loupe.Application.Common.Paging;

/// <summary>
/// Collects every problem found in a list request's query string so the client learns about all of
/// them in one 400 rather than one per round trip.
/// </summary>
internal sealed class QueryParameterErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool HasAny => _errors.Count > 0;

    public bool Has(string field) => _errors.ContainsKey(field);

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            messages = [];
            _errors[field] = messages;
        }

        if (!messages.Contains(message, StringComparer.Ordinal))
        {
            messages.Add(message);
        }
    }

    public void ThrowIfAny()
    {
        if (HasAny)
        {
            throw new ValidationFailedException(
                _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
        }
    }

    /// <summary>A missing or blank parameter means "not given": the SPA sends empty ones.</summary>
    public static string? ValueOf(IReadOnlyDictionary<string, string?> query, string name) =>
        query.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
