using Loupe.Domain.Common;

namespace Loupe.Domain.Queries;

public static class SavedQueryErrors
{
    public static readonly DomainError NameRequired =
        DomainError.Validation("query.name_required", "name", "A name is required.");

    public static readonly DomainError NameTooLong =
        DomainError.Validation("query.name_too_long", "name", $"A name has at most {SavedQuery.NameMaxLength} characters.");

    public static readonly DomainError DescriptionTooLong =
        DomainError.Validation("query.description_too_long", "description", $"A description has at most {SavedQuery.DescriptionMaxLength:N0} characters.");

    public static readonly DomainError SqlRequired =
        DomainError.Validation("query.sql_required", "sql", "The SQL text is required.");

    public static readonly DomainError SqlTooLong =
        DomainError.Validation("query.sql_too_long", "sql", $"The SQL text has at most {SavedQuery.SqlMaxLength:N0} characters.");

    public static readonly DomainError TooManyTags =
        DomainError.Validation("query.too_many_tags", "tags", $"A query has at most {QueryTags.MaxTags} tags.");

    public static readonly DomainError TagInvalid =
        DomainError.Validation("query.tag_invalid", "tags", $"Each tag has 1 to {QueryTags.TagMaxLength} characters (blanks around it do not count).");

    public static readonly DomainError DataSourceNotFound =
        DomainError.Validation("query.datasource_not_found", "datasource_id", "No data source of your organization has this id.");

    public static readonly DomainError Archived =
        DomainError.Conflict("query.archived", "This query is archived: restore it before changing it.");

    public static readonly DomainError ArchivedCannotRun =
        DomainError.Conflict("query.archived", "The query is archived; restore it to run it.");

    /// <summary>The data source the query reads from was removed since the query was saved.</summary>
    public static readonly DomainError DataSourceGone =
        DomainError.Conflict("query.datasource_missing", "The query's data source no longer exists.");

    /// <summary>PostgreSQL text cannot hold U+0000, so no stored text may contain it.</summary>
    public static DomainError NulCharacter(string field) =>
        DomainError.Validation("query.nul_character", field, "Text may not contain the NUL character (U+0000).");

    public static DomainError TimeoutOutOfRange(int maxSeconds) =>
        DomainError.Validation(
            "query.timeout_out_of_range",
            "timeout_seconds",
            $"The timeout is between 1 and {maxSeconds} seconds, the data source's own timeout (leave it out to use that).");

    /// <summary>Active dashboards show visualizations of the query; archiving it takes <c>force</c> (see <c>DashboardUse</c>).</summary>
    public static DomainError InUse(int dashboards) => DomainError.Conflict(
        "query.in_use",
        $"{(dashboards == 1 ? "1 dashboard shows" : $"{dashboards} dashboards show")} visualizations of this query. Remove them first, or archive the query anyway with force=true (its visualizations stay, showing its last results).");
}
