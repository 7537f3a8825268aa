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
    public const string Status = "status";

    /// <summary>What every list reads: page, per_page and sort.</summary>
    public static string[] PagedAnd(params string[] filters) => [Page, PerPage, Sort, .. filters];
}
