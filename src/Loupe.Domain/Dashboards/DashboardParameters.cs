using Loupe.Domain.Common;
using Loupe.Domain.Queries.Parameters;

namespace Loupe.Domain.Dashboards;

/// <summary>
/// The rules of a dashboard's parameters and of their mappings onto its tiles' queries. A dashboard
/// declares parameters with the types of query parameters (<see cref="ParameterDefinition"/>), names
/// unique regardless of case; each mapping names a visualization tile of the dashboard and a
/// parameter its query has, once, and feeds it from a declared parameter of the same type (an enum
/// parameter's options all among the query parameter's) or from a static value the query parameter
/// accepts.
/// </summary>
public static class DashboardParameters
{
    public const int MaxParameters = 50;
    public const int MaxMappings = 500;

    /// <summary>Every broken rule of the declared parameters (empty when valid).</summary>
    public static IReadOnlyList<DomainError> CheckDeclared(IReadOnlyList<ParameterDefinition?> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Count > MaxParameters)
        {
            return [DashboardErrors.TooManyParameters];
        }

        var errors = new List<DomainError>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < parameters.Count; i++)
        {
            var field = $"parameters[{i}]";
            if (parameters[i] is not { } parameter)
            {
                errors.Add(ParameterErrors.Missing(field));
            }
            else if (!names.Add(parameter.Name))
            {
                errors.Add(DashboardErrors.ParameterNameDuplicate($"{field}.name", parameter.Name));
            }
        }

        return errors;
    }

    /// <summary>
    /// Every broken rule of the mappings (empty when valid), given the dashboard's tiles, its declared
    /// parameters and the parameters of each visualization's query.
    /// </summary>
    /// <param name="queryParameters">
    /// The parameters of the query behind each visualization the tiles name; a visualization missing
    /// here is one the organization does not have.
    /// </param>
    public static IReadOnlyList<DomainError> CheckMappings(
        IReadOnlyList<ParameterMapping?> mappings,
        IReadOnlyList<DashboardTile> tiles,
        IReadOnlyList<ParameterDefinition> declared,
        IReadOnlyDictionary<Guid, IReadOnlyList<ParameterDefinition>> queryParameters)
    {
        ArgumentNullException.ThrowIfNull(mappings);
        ArgumentNullException.ThrowIfNull(tiles);
        ArgumentNullException.ThrowIfNull(declared);
        ArgumentNullException.ThrowIfNull(queryParameters);
        if (mappings.Count > MaxMappings)
        {
            return [DashboardErrors.TooManyMappings];
        }

        var tilesById = tiles.Where(t => t.Kind == TileKind.Visualization && t.VisualizationId is not null)
            .GroupBy(t => t.Id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().VisualizationId!.Value, StringComparer.Ordinal);
        var declaredByName = declared.GroupBy(p => p.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var mapped = new HashSet<(string, string)>();
        var errors = new List<DomainError>();
        for (var i = 0; i < mappings.Count; i++)
        {
            var field = $"parameter_mappings[{i}]";
            if (mappings[i] is not { } mapping || mapping.TileId is null || mapping.QueryParameter is null)
            {
                errors.Add(DashboardErrors.MappingMissing(field));
                continue;
            }

            if (!tilesById.TryGetValue(mapping.TileId, out var visualizationId))
            {
                errors.Add(DashboardErrors.MappingTileUnknown($"{field}.tile_id", mapping.TileId));
                continue;
            }

            if (!queryParameters.TryGetValue(visualizationId, out var ofQuery))
            {
                errors.Add(DashboardErrors.VisualizationNotFound($"{field}.tile_id"));
                continue;
            }

            if (ofQuery.FirstOrDefault(p => p.Name == mapping.QueryParameter) is not { } target)
            {
                errors.Add(DashboardErrors.MappingQueryParameterUnknown($"{field}.query_parameter", mapping.TileId, mapping.QueryParameter));
                continue;
            }

            if (!mapped.Add((mapping.TileId, mapping.QueryParameter)))
            {
                errors.Add(DashboardErrors.MappingDuplicate(field, mapping.TileId, mapping.QueryParameter));
                continue;
            }

            if (CheckSource(mapping, target, declaredByName, field) is { } error)
            {
                errors.Add(error);
            }
        }

        return errors;
    }

    /// <summary>Whether a dashboard parameter can feed a query parameter: the same type, and an enum's options all allowed by the query.</summary>
    public static bool Fits(ParameterDefinition dashboardParameter, ParameterDefinition queryParameter)
    {
        ArgumentNullException.ThrowIfNull(dashboardParameter);
        ArgumentNullException.ThrowIfNull(queryParameter);
        return dashboardParameter.Type == queryParameter.Type
            && (dashboardParameter.Type != ParameterType.Enum
                || dashboardParameter.Options.All(o => queryParameter.Options.Contains(o, StringComparer.Ordinal)));
    }

    private static DomainError? CheckSource(
        ParameterMapping mapping, ParameterDefinition target, Dictionary<string, ParameterDefinition> declaredByName, string field)
    {
        switch (mapping.Source)
        {
            case MappingSource.Dashboard:
                if (mapping.DashboardParameter is null || !declaredByName.TryGetValue(mapping.DashboardParameter, out var source))
                {
                    return DashboardErrors.MappingDashboardParameterUnknown($"{field}.dashboard_parameter", mapping.DashboardParameter ?? string.Empty);
                }

                if (Fits(source, target))
                {
                    return null;
                }

                return DashboardErrors.MappingTypeMismatch(
                    $"{field}.dashboard_parameter",
                    source.Type == target.Type
                        ? $"The dashboard parameter '{source.Name}' offers options the query parameter '{target.Name}' does not accept."
                        : $"The dashboard parameter '{source.Name}' is {source.Type.ToName()}, the query parameter '{target.Name}' is {target.Type.ToName()}.");
            case MappingSource.Static:
                if (mapping.Value is null)
                {
                    return DashboardErrors.MappingValueInvalid($"{field}.value", "a static mapping has a value.");
                }

                return ParameterValues.Convert(target.Type, target.Options, mapping.Value) is { Problem: { } problem }
                    ? DashboardErrors.MappingValueInvalid($"{field}.value", problem)
                    : null;
            default:
                return DashboardErrors.MappingMissing($"{field}.source");
        }
    }
}
