using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Domain.Common;
using Loupe.Domain.DataSources;
using Loupe.Domain.Queries;
using Loupe.Domain.Queries.Parameters;
using Loupe.Domain.Runs;

namespace Loupe.Application.SavedQueries;

/// <summary>
/// Checks what a client sent for a saved query against every rule at once, so that one 400 names
/// every broken field; the aggregate then checks the same rules again as it changes.
/// </summary>
internal sealed class SavedQueryInput
{
    private readonly List<DomainError> _errors = [];

    /// <summary>The definitions, or null when any is broken (each broken field is recorded).</summary>
    public IReadOnlyList<ParameterDefinition>? Definitions(IReadOnlyList<ParameterDefinitionInput?> inputs)
    {
        var definitions = new List<ParameterDefinition>();
        var broken = false;
        for (var i = 0; i < inputs.Count; i++)
        {
            var field = $"parameters[{i}]";
            if (inputs[i] is not { } input)
            {
                _errors.Add(ParameterErrors.Missing(field));
                broken = true;
                continue;
            }

            if (!ParameterTypes.TryParse(input.Type, out var type))
            {
                _errors.Add(ParameterErrors.TypeUnknown($"{field}.type"));
                broken = true;
                continue;
            }

            var defaultValue = ParameterJson.ToValue(input.Default);
            var errors = ParameterDefinition.Check(input.Name, type, input.Title, defaultValue, input.Options, field);
            if (errors.Count > 0)
            {
                _errors.AddRange(errors);
                broken = true;
                continue;
            }

            definitions.Add(ParameterDefinition.Create(input.Name, type, input.Title, input.Required ?? true, defaultValue, input.Options));
        }

        return broken ? null : definitions;
    }

    public void Sql(string sql, IReadOnlyList<ParameterDefinition>? definitions)
    {
        if (definitions is not null)
        {
            _errors.AddRange(QueryParameters.Check(sql, definitions));
        }
    }

    public void Tags(IReadOnlyList<string?> tags)
    {
        if (QueryTags.Check(tags) is { } error)
        {
            _errors.Add(error);
        }
    }

    /// <summary>The data source of the caller's organization with this id, or null (recorded as a broken <c>datasource_id</c>).</summary>
    public async Task<DataSource?> DataSourceAsync(IRepository<DataSource> dataSources, Guid id, CancellationToken cancellationToken)
    {
        var dataSource = id == Guid.Empty ? null : await dataSources.FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (dataSource is null)
        {
            _errors.Add(SavedQueryErrors.DataSourceNotFound);
        }

        return dataSource;
    }

    /// <summary>0 (or null) means "the data source's"; anything else must be within the data source's own timeout.</summary>
    public int? Timeout(int? timeoutSeconds, DataSource? dataSource)
    {
        var timeout = timeoutSeconds is 0 ? null : timeoutSeconds;
        if (dataSource is not null && RunTimeout.CheckSaved(timeout, dataSource) is { } error)
        {
            _errors.Add(error);
        }

        return timeout;
    }

    /// <summary>Every problem recorded so far.</summary>
    public IReadOnlyList<DomainError> Errors => _errors;

    /// <exception cref="ValidationFailedException">Every recorded problem, by field.</exception>
    /// <param name="fieldName">Renames a field (the definitions are <c>parameter_definitions</c> in a run's body).</param>
    public void ThrowIfAny(Func<string, string>? fieldName = null)
    {
        if (_errors.Count > 0)
        {
            throw new ValidationFailedException(_errors
                .GroupBy(error => fieldName is null ? error.Field ?? "body" : fieldName(error.Field ?? "body"), StringComparer.Ordinal)
                .ToDictionary(group => group.Key, group => group.Select(error => error.Message).Distinct(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal));
        }
    }
}
