using System.Text.Json;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Results;
using Loupe.Domain.Common;
using Loupe.Domain.Queries;
using Loupe.Domain.Visualizations;

namespace Loupe.Application.Visualizations;

/// <summary>
/// Checks what a client sent for a visualization against every rule at once, so that one 400 names
/// every broken field, each option under its path (<c>options.series[2].column</c>); the aggregate
/// checks its own rules again as it changes. Column references are checked against the query's latest
/// result when it has one (<see cref="ILatestResultColumns"/>).
/// </summary>
internal sealed class VisualizationInput
{
    private readonly List<DomainError> _errors = [];

    /// <summary>The type a wire name stands for, or null (recorded as <c>visualization.type_unknown</c>).</summary>
    public VisualizationType? Type(string? name)
    {
        if (VisualizationTypes.TryParse(name, out var type))
        {
            return type;
        }

        _errors.Add(VisualizationErrors.TypeUnknown);
        return null;
    }

    /// <summary>The options of <paramref name="type"/>, or null with every error of the document recorded.</summary>
    public VisualizationOptions? Options(VisualizationType type, JsonElement options)
    {
        if (VisualizationOptionsParser.TryParse(type, options, out var parsed, out var errors))
        {
            return parsed;
        }

        _errors.AddRange(errors);
        return null;
    }

    public void Tags(IReadOnlyList<string?> tags)
    {
        if (Visualization.CheckTags(tags) is { } error)
        {
            _errors.Add(error);
        }
    }

    /// <summary>The saved query of the caller's organization with this id, or null (recorded as a broken <c>query_id</c>).</summary>
    public async Task<SavedQuery?> QueryAsync(IRepository<SavedQuery> queries, Guid id, CancellationToken cancellationToken)
    {
        var query = id == Guid.Empty ? null : await queries.FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (query is null)
        {
            _errors.Add(VisualizationErrors.QueryNotFound);
        }

        return query;
    }

    /// <summary>Records each column the options name that the query's latest result lacks; nothing when it has no result.</summary>
    public void Columns(VisualizationOptions options, IReadOnlyList<string>? resultColumns)
    {
        if (resultColumns is not null)
        {
            _errors.AddRange(ColumnReferences.Missing(options, resultColumns).Select(missing => VisualizationErrors.UnknownColumn(missing.Path, missing.Column)));
        }
    }

    /// <exception cref="ValidationFailedException">Every recorded problem, by field or option path.</exception>
    public void ThrowIfAny()
    {
        if (_errors.Count > 0)
        {
            throw ValidationFailedException.Of(_errors);
        }
    }
}

/// <summary>The columns of one query's latest result, or null when it has none.</summary>
internal static class LatestColumns
{
    public static async Task<IReadOnlyList<string>?> OfAsync(this ILatestResultColumns latest, Guid queryId, CancellationToken cancellationToken) =>
        (await latest.OfQueriesAsync([queryId], cancellationToken).ConfigureAwait(false)).GetValueOrDefault(queryId);
}
