using Loupe.Domain.Common;

namespace Loupe.Domain.Dashboards;

/// <summary>
/// Why a dashboard was refused. Tile errors name the tile's place in the list (<c>tiles[3]</c>),
/// parameter errors the parameter's (<c>parameters[1]</c>), mapping errors the mapping's
/// (<c>parameter_mappings[0]</c>).
/// </summary>
public static class DashboardErrors
{
    public static readonly DomainError NameRequired =
        DomainError.Validation("dashboard.name_required", "name", "A name is required.");

    public static readonly DomainError NameTooLong =
        DomainError.Validation("dashboard.name_too_long", "name", $"A name has at most {Dashboard.NameMaxLength} characters.");

    public static readonly DomainError DescriptionTooLong =
        DomainError.Validation("dashboard.description_too_long", "description", $"A description has at most {Dashboard.DescriptionMaxLength:N0} characters.");

    public static readonly DomainError TooManyTags =
        DomainError.Validation("dashboard.too_many_tags", "tags", $"A dashboard has at most {Queries.QueryTags.MaxTags} tags.");

    public static readonly DomainError TagInvalid =
        DomainError.Validation("dashboard.tag_invalid", "tags", $"Each tag has 1 to {Queries.QueryTags.TagMaxLength} characters (blanks around it do not count).");

    public static readonly DomainError Archived =
        DomainError.Conflict("dashboard.archived", "This dashboard is archived: restore it before changing it.");

    public static readonly DomainError TooManyTiles =
        DomainError.Validation("dashboard.too_many_tiles", "tiles", $"A dashboard has at most {DashboardGrid.MaxTiles} tiles.");

    public static readonly DomainError TooManyParameters =
        DomainError.Validation("dashboard.too_many_parameters", "parameters", $"A dashboard has at most {DashboardParameters.MaxParameters} parameters.");

    public static readonly DomainError TooManyMappings =
        DomainError.Validation("dashboard.too_many_mappings", "parameter_mappings", $"A dashboard has at most {DashboardParameters.MaxMappings} parameter mappings.");

    /// <summary>PostgreSQL text cannot hold U+0000, so no stored text may contain it.</summary>
    public static DomainError NulCharacter(string field) =>
        DomainError.Validation("dashboard.nul_character", field, "Text may not contain the NUL character (U+0000).");

    public static DomainError TileMissing(string field) =>
        DomainError.Validation("dashboard.tile_missing", field, "A tile is an object with an id, a kind and a place on the grid.");

    public static DomainError TileIdInvalid(string field) =>
        DomainError.Validation("dashboard.tile_id_invalid", field, $"A tile id has 1 to {DashboardGrid.TileIdMaxLength} ASCII letters, digits, '_' or '-'.");

    public static DomainError TileIdDuplicate(string field, string id) =>
        DomainError.Validation("dashboard.tile_id_duplicate", field, $"Another tile already has the id '{id}'.");

    public static DomainError TileKindUnknown(string field) =>
        DomainError.Validation("dashboard.tile_kind_unknown", field, "A tile's kind is visualization or text.");

    public static DomainError TileTooSmall(string field) =>
        DomainError.Validation("dashboard.tile_too_small", field, "A tile is at least one column wide (w) and one row high (h).");

    public static DomainError TileOutsideGrid(string field) =>
        DomainError.Validation(
            "dashboard.tile_outside_grid",
            field,
            $"A tile lies inside the grid: x and y at least 0, x + w at most {DashboardGrid.Columns}, y + h at most {DashboardGrid.MaxRows:N0}.");

    public static DomainError TilesOverlap(string field, string id, string otherId) =>
        DomainError.Validation("dashboard.tiles_overlap", field, $"The tile '{id}' overlaps the tile '{otherId}'.");

    public static DomainError VisualizationRequired(string field) =>
        DomainError.Validation("dashboard.visualization_required", field, "A visualization tile names its visualization (visualization_id).");

    public static DomainError VisualizationNotAllowed(string field) =>
        DomainError.Validation("dashboard.visualization_not_allowed", field, "A text tile has no visualization.");

    public static DomainError TextRequired(string field) =>
        DomainError.Validation("dashboard.text_required", field, "A text tile has text (Markdown).");

    public static DomainError TextNotAllowed(string field) =>
        DomainError.Validation("dashboard.text_not_allowed", field, "A visualization tile has no text.");

    public static DomainError TextTooLong(string field) =>
        DomainError.Validation("dashboard.text_too_long", field, $"A text tile has at most {DashboardGrid.TextMaxLength:N0} characters and no NUL.");

    /// <summary>A visualization tile names a visualization the organization does not have (or whose query is unknown).</summary>
    public static DomainError VisualizationNotFound(string field) =>
        DomainError.Validation("dashboard.visualization_not_found", field, "No visualization of your organization has this id.");

    public static DomainError ParameterNameDuplicate(string field, string name) =>
        DomainError.Validation("dashboard.parameter_name_duplicate", field, $"Another dashboard parameter is already named '{name}' (names are compared ignoring case).");

    public static DomainError MappingMissing(string field) =>
        DomainError.Validation("dashboard.mapping_missing", field, "A mapping is an object naming a tile, a query parameter and where its value comes from.");

    public static DomainError MappingTileUnknown(string field, string tileId) =>
        DomainError.Validation("dashboard.mapping_tile_unknown", field, $"No visualization tile of this dashboard has the id '{tileId}'.");

    public static DomainError MappingDuplicate(string field, string tileId, string parameter) =>
        DomainError.Validation("dashboard.mapping_duplicate", field, $"The parameter '{parameter}' of the tile '{tileId}' is mapped already.");

    public static DomainError MappingQueryParameterUnknown(string field, string tileId, string parameter) =>
        DomainError.Validation("dashboard.mapping_query_parameter_unknown", field, $"The query of the tile '{tileId}' has no parameter named '{parameter}'.");

    public static DomainError MappingDashboardParameterUnknown(string field, string parameter) =>
        DomainError.Validation("dashboard.mapping_dashboard_parameter_unknown", field, $"The dashboard declares no parameter named '{parameter}'.");

    public static DomainError MappingTypeMismatch(string field, string detail) =>
        DomainError.Validation("dashboard.mapping_type_mismatch", field, detail);

    public static DomainError MappingValueInvalid(string field, string problem) =>
        DomainError.Validation("dashboard.mapping_value_invalid", field, $"The static value does not fit the query parameter: {problem}");
}
