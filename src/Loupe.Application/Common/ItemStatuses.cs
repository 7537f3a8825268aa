namespace Loupe.Application.Common;

/// <summary>
/// The <c>status</c> of an item (saved query, visualization, dashboard, canvas), also its list filter:
/// <c>active</c> (the default) or <c>archived</c>, which is what <c>archived_at</c> being set means.
/// </summary>
public static class ItemStatuses
{
    public const string Active = "active";
    public const string Archived = "archived";

    public static IReadOnlyList<string> All { get; } = [Active, Archived];

    public static string Of(DateTimeOffset? archivedAt) => archivedAt is null ? Active : Archived;
}
