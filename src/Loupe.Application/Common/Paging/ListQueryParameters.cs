namespace Loupe.Application.Common.Paging;

/// <summary>The snake_case query-parameter names of list endpoints (docs/api-conventions.md), also the keys of validation errors.</summary>
public static class ListQueryParameters
{
    public const string Page = "page";
    public const string PerPage = "per_page";
    public const string Sort = "sort";
    public const string Text = "q";
    public const string Tags = "tags";
    public const string CreatedAfter = "created_after";
    public const string CreatedBefore = "created_before";
    public const string UpdatedAfter = "updated_after";
    public const string UpdatedBefore = "updated_before";
    public const string OwnerId = "owner_id";
    public const string QueuedAfter = "queued_after";
    public const string QueuedBefore = "queued_before";
    public const string OccurredAfter = "occurred_after";
    public const string OccurredBefore = "occurred_before";
    public const string Status = "status";
    public const string Role = "role";

    /// <summary>A closed-set filter named after a record's <c>type</c> (visualizations).</summary>
    public const string Type = "type";

    /// <summary>
    /// The range filters of a timestamp field a record shows, named after it: <c>queued</c> gives
    /// <c>queued_after</c> and <c>queued_before</c>. A list filters by the names of its own fields.
    /// </summary>
    public static (string After, string Before) RangeOf(string field) => ($"{field}_after", $"{field}_before");

    /// <summary>What every list reads: page, per_page and sort.</summary>
    public static string[] PagedAnd(params string[] filters) => [Page, PerPage, Sort, .. filters];
}
