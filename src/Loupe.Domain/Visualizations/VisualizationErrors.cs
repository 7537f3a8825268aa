using Loupe.Domain.Common;

namespace Loupe.Domain.Visualizations;

/// <summary>
/// Why a visualization's type or options were refused. Each option error names its path in the
/// request (<c>options.series[2].column</c>), so a client shows it next to the setting.
/// </summary>
public static class VisualizationErrors
{
    public static readonly DomainError TypeUnknown = DomainError.Validation(
        "visualization.type_unknown", "type", $"The type is one of {string.Join(", ", VisualizationTypes.Names)}.");

    public static readonly DomainError NameRequired =
        DomainError.Validation("visualization.name_required", "name", "A name is required.");

    public static readonly DomainError NameTooLong =
        DomainError.Validation("visualization.name_too_long", "name", $"A name has at most {Visualization.NameMaxLength} characters.");

    public static readonly DomainError DescriptionTooLong = DomainError.Validation(
        "visualization.description_too_long", "description", $"A description has at most {Visualization.DescriptionMaxLength:N0} characters.");

    public static readonly DomainError TooManyTags =
        DomainError.Validation("visualization.too_many_tags", "tags", $"A visualization has at most {Queries.QueryTags.MaxTags} tags.");

    public static readonly DomainError TagInvalid = DomainError.Validation(
        "visualization.tag_invalid", "tags", $"Each tag has 1 to {Queries.QueryTags.TagMaxLength} characters (blanks around it do not count).");

    public static readonly DomainError Archived =
        DomainError.Conflict("visualization.archived", "This visualization is archived: restore it before changing it.");

    /// <summary>The <c>query_id</c> names no saved query of the caller's organization (another organization's looks the same).</summary>
    public static readonly DomainError QueryNotFound =
        DomainError.Validation("visualization.query_not_found", "query_id", "No saved query of your organization has this id.");

    public static readonly DomainError QueryArchived =
        DomainError.Conflict("visualization.query_archived", "The query is archived: restore it before drawing a new visualization of it.");

    /// <summary>PostgreSQL text cannot hold U+0000, so no stored text may contain it.</summary>
    public static DomainError NulCharacter(string field) =>
        DomainError.Validation("visualization.nul_character", field, "Text may not contain the NUL character (U+0000).");

    public static readonly DomainError OptionsTooLarge = DomainError.Validation(
        "visualization.options_too_large",
        VisualizationOptionsParser.Root,
        $"The options are at most {VisualizationOptionsParser.MaxOptionsBytes / 1024} KiB of JSON.");

    public static DomainError OptionUnknown(string path, VisualizationType type) => DomainError.Validation(
        "visualization.option_unknown", path, $"Not an option of a {type.WireName()} visualization; leave it out.");

    public static DomainError OptionRequired(string path) => DomainError.Validation(
        "visualization.option_required", path, "This option is required.");

    public static DomainError OptionInvalid(string path, string rule) => DomainError.Validation(
        "visualization.option_invalid", path, rule);

    public static DomainError TooMany(string path, int max, string what) => DomainError.Validation(
        "visualization.too_many", path, $"At most {max} {what}.");

    public static DomainError ColumnDuplicate(string path, string column) => DomainError.Validation(
        "visualization.column_duplicate", path, $"The column '{column}' is already used here; use each column once.");

    /// <summary>A setting names a column the query's latest result does not have (see <see cref="ColumnReferences.Missing"/>).</summary>
    public static DomainError UnknownColumn(string path, string column) => DomainError.Validation(
        "visualization.unknown_column", path, $"The query's latest result has no column '{column}'.");

    /// <summary>Active dashboards show the visualization; archiving it takes <c>force</c> (see <c>DashboardUse</c>).</summary>
    public static DomainError InUse(int dashboards) => DomainError.Conflict(
        "visualization.in_use",
        $"{(dashboards == 1 ? "1 dashboard shows" : $"{dashboards} dashboards show")} this visualization. Remove it from them first, or archive it anyway with force=true (their tiles then show an archived visualization).");
}
