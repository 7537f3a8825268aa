using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.SavedQueries;
using Loupe.Domain.Common;
using Loupe.Domain.Dashboards;
using Loupe.Domain.Queries;
using Loupe.Domain.Queries.Parameters;
using Loupe.Domain.Visualizations;

namespace Loupe.Application.Dashboards;

/// <summary>
/// Reads what a client sent for a dashboard's layout (tiles, parameters, mappings) and checks it
/// against every rule at once, so that one 400 names every broken tile, parameter and mapping; the
/// aggregate then checks the same rules again as it changes.
/// </summary>
internal sealed class DashboardInput
{
    private readonly List<DomainError> _errors = [];

    /// <summary>The tiles as the domain reads them; an entry that is not an object stays null (the domain names it).</summary>
    public static IReadOnlyList<DashboardTile?> Tiles(IReadOnlyList<TileInput?> inputs) =>
        [.. inputs.Select(input => input is null
            ? null
            : new DashboardTile(
                input.Id!,

                // An unknown kind is kept as a kind the domain does not know, so it is named with the tile's other errors.
                DashboardJson.TryParseKind(input.Kind, out var kind) ? kind : (TileKind)(-1),
                input.VisualizationId,
                input.Text,
                input.X,
                input.Y,
                input.W,
                input.H))];

    /// <summary>The mappings as the domain reads them; one without a known source stays null (the domain names it).</summary>
    public static IReadOnlyList<ParameterMapping?> Mappings(IReadOnlyList<ParameterMappingInput?> inputs) =>
        [.. inputs.Select(input => input is not null && DashboardJson.TryParseSource(input.Source, out var source)
            ? new ParameterMapping(input.TileId!, input.QueryParameter!, source, input.DashboardParameter, ParameterJson.ToValue(input.Value))
            : null)];

    /// <summary>The declared parameters, or null when any is broken (each broken field is recorded).</summary>
    public IReadOnlyList<ParameterDefinition>? Parameters(IReadOnlyList<ParameterDefinitionInput?> inputs)
    {
        var input = new SavedQueryInput();
        var definitions = input.Definitions(inputs);
        _errors.AddRange(input.Errors);
        return definitions;
    }

    /// <summary>
    /// The parameters of the query behind each visualization the tiles name that the caller's
    /// organization has, read in one query whatever the number of tiles; archived visualizations
    /// and queries count (they still exist and can be restored).
    /// </summary>
    public static async Task<IReadOnlyDictionary<Guid, IReadOnlyList<ParameterDefinition>>> QueryParametersAsync(
        IReadStore store, IQueryExecutor executor, IEnumerable<DashboardTile?> tiles, CancellationToken cancellationToken)
    {
        var ids = Dashboard.VisualizationIdsOf(tiles).ToList();
        if (ids.Count == 0)
        {
            return new Dictionary<Guid, IReadOnlyList<ParameterDefinition>>();
        }

        var rows = await executor.ToListAsync(
            store.Query<Visualization>()
                .Where(v => ids.Contains(v.Id))
                .Join(store.Query<SavedQuery>(), v => v.QueryId, q => q.Id, (v, q) => new VisualizationParameters(v.Id, q.Parameters)),
            cancellationToken).ConfigureAwait(false);
        return rows.ToDictionary(row => row.VisualizationId, row => row.Parameters);
    }

    /// <summary>Records every broken rule of the layout: the grid, visualizations the organization does not have, the parameters and the mappings.</summary>
    public void Layout(
        IReadOnlyList<DashboardTile?> tiles,
        IReadOnlyList<ParameterDefinition>? parameters,
        IReadOnlyList<ParameterMapping?> mappings,
        IReadOnlyDictionary<Guid, IReadOnlyList<ParameterDefinition>> queryParameters)
    {
        var gridErrors = DashboardGrid.Check(tiles);
        _errors.AddRange(gridErrors);
        for (var i = 0; i < tiles.Count; i++)
        {
            if (tiles[i] is { Kind: TileKind.Visualization, VisualizationId: { } id } && id != Guid.Empty && !queryParameters.ContainsKey(id))
            {
                _errors.Add(DashboardErrors.VisualizationNotFound($"tiles[{i}].visualization_id"));
            }
        }

        var declaredErrors = parameters is null ? [] : DashboardParameters.CheckDeclared(parameters);
        _errors.AddRange(declaredErrors);
        if (gridErrors.Count == 0 && parameters is not null && declaredErrors.Count == 0)
        {
            _errors.AddRange(DashboardParameters.CheckMappings(mappings, [.. tiles.Select(t => t!)], parameters, queryParameters));
        }
    }

    /// <exception cref="ValidationFailedException">
    /// Every recorded problem, by field; its code is the problems' own when they share one (a client
    /// can act on <c>dashboard.tiles_overlap</c>), <c>validation_failed</c> otherwise.
    /// </exception>
    public void ThrowIfAny()
    {
        if (_errors.Count == 0)
        {
            return;
        }

        var codes = _errors.Select(e => e.Code).Distinct(StringComparer.Ordinal).ToList();
        throw new ValidationFailedException(_errors
            .GroupBy(error => error.Field ?? "body", StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Select(error => error.Message).Distinct(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal))
        {
            Code = codes.Count == 1 && codes[0] != "domain.unknown" ? codes[0] : ErrorCodes.ValidationFailed,
        };
    }

    private sealed record VisualizationParameters(Guid VisualizationId, IReadOnlyList<ParameterDefinition> Parameters);
}
