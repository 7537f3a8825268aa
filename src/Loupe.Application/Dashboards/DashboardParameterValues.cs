using Loupe.Application.Common.Exceptions;
using Loupe.Domain.Common;
using Loupe.Domain.Queries.Parameters;

namespace Loupe.Application.Dashboards;

/// <summary>
/// Values of a dashboard's parameters, checked against what the dashboard declares with the same
/// rules a run's values meet (<see cref="QueryParameters.TryBind"/>): a value for a parameter the
/// dashboard does not declare, or of the wrong shape, is refused with its field; a parameter given
/// no value takes its default, or none (its tiles' queries then fall back to their own defaults).
/// </summary>
internal static class DashboardParameterValues
{
    /// <summary>The prefix of a dashboard parameter in a query string: <c>p_region=EU</c>, <c>p_period.start=2026-01-01</c>.</summary>
    public const string QueryPrefix = "p_";

    /// <summary>
    /// The values of a query string's <c>p_&lt;name&gt;</c> entries, read as the declared type reads text:
    /// a number's digits, <c>true</c>/<c>false</c>, a date range as <c>p_&lt;name&gt;.start</c> and
    /// <c>p_&lt;name&gt;.end</c>; every other type as the text given.
    /// </summary>
    public static Dictionary<string, ParameterValue?> FromQueryString(IReadOnlyList<ParameterDefinition> declared, IReadOnlyDictionary<string, string?> query)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var values = new Dictionary<string, ParameterValue?>(StringComparer.Ordinal);
        var ranges = new Dictionary<string, (ParameterValue? Start, ParameterValue? End)>(StringComparer.Ordinal);
        foreach (var (key, text) in query.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (!key.StartsWith(QueryPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var name = key[QueryPrefix.Length..];
            var part = name.EndsWith(".start", StringComparison.Ordinal) ? "start" : name.EndsWith(".end", StringComparison.Ordinal) ? "end" : null;
            var baseName = part is null ? name : name[..name.LastIndexOf('.')];
            var definition = declared.FirstOrDefault(d => d.Name == baseName);
            if (definition is null || (part is not null) != (definition.Type == ParameterType.DateRange))
            {
                errors[key] = [definition is null
                    ? $"The dashboard has no parameter '{baseName}'."
                    : part is null
                        ? $"'{baseName}' is a date range: give {QueryPrefix}{baseName}.start and {QueryPrefix}{baseName}.end."
                        : $"'{baseName}' is not a date range: give {QueryPrefix}{baseName}."];
                continue;
            }

            var value = text ?? string.Empty;
            if (part is not null)
            {
                var range = ranges.GetValueOrDefault(baseName);
                ranges[baseName] = part == "start" ? range with { Start = ParameterValue.OfText(value) } : range with { End = ParameterValue.OfText(value) };
                continue;
            }

            values[baseName] = definition.Type switch
            {
                ParameterType.Number => ParameterValue.OfNumber(value),
                ParameterType.Boolean when value is "true" or "false" => ParameterValue.OfBoolean(value == "true"),
                _ => ParameterValue.OfText(value),
            };
        }

        foreach (var (name, range) in ranges)
        {
            values[name] = ParameterValue.OfRange(range.Start, range.End);
        }

        return errors.Count > 0 ? throw new ValidationFailedException(errors) : values;
    }

    /// <summary>
    /// Each declared parameter's value: the one given, else its default, else none. Throws the first
    /// problem of a given value, its field named by <paramref name="field"/>.
    /// </summary>
    public static Dictionary<string, ParameterValue?> Resolve(
        IReadOnlyList<ParameterDefinition> declared, IReadOnlyDictionary<string, ParameterValue?> given, Func<string, string> field)
    {
        if (given.Keys.Where(name => declared.All(d => d.Name != name)).Order(StringComparer.Ordinal).FirstOrDefault() is { } unknown)
        {
            throw new DomainException(ParameterErrors.ValueUnknown(unknown) with { Field = field(unknown), Message = $"The dashboard has no parameter named '{unknown}'." });
        }

        var values = new Dictionary<string, ParameterValue?>(StringComparer.Ordinal);
        foreach (var definition in declared)
        {
            var value = given.GetValueOrDefault(definition.Name) ?? definition.Default;
            if (value is not null
                && !QueryParameters.TryBind(string.Empty, [definition], new Dictionary<string, ParameterValue?> { [definition.Name] = value }, out _, out var problems)
                && problems.FirstOrDefault(p => p.Code != ParameterErrors.ValueRequired(definition.Name).Code) is { } problem)
            {
                throw new DomainException(problem with { Field = field(definition.Name) });
            }

            values[definition.Name] = value;
        }

        return values;
    }
}
