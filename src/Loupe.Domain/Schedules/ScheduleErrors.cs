using Loupe.Domain.Common;
using Loupe.Domain.Queries;

namespace Loupe.Domain.Schedules;

public static class ScheduleErrors
{
    public const int LastErrorMaxLength = 2_000;

    public static readonly DomainError NameRequired =
        DomainError.Validation("schedule.name_required", "name", "A name is required.");

    public static readonly DomainError NameTooLong =
        DomainError.Validation("schedule.name_too_long", "name", $"A name has at most {Schedule.NameMaxLength} characters.");

    public static readonly DomainError TooManyTags =
        DomainError.Validation("schedule.too_many_tags", "tags", $"A schedule has at most {QueryTags.MaxTags} tags.");

    public static readonly DomainError TagInvalid = DomainError.Validation(
        "schedule.tag_invalid", "tags", $"Each tag has 1 to {QueryTags.TagMaxLength} characters (blanks around it do not count).");

    public static readonly DomainError CronRequired =
        DomainError.Validation("schedule.cron_invalid", "cron", "A cron expression is required.");

    /// <summary>The cron library's reason, naming the field it could not read.</summary>
    public static DomainError CronInvalid(string reason) =>
        DomainError.Validation("schedule.cron_invalid", "cron", reason);

    public static DomainError CronTooFrequent(TimeSpan shortest, TimeSpan minimum) => DomainError.Validation(
        "schedule.cron_too_frequent",
        "cron",
        $"This expression fires {Describe(shortest)} apart at its closest; a schedule fires at most once every {Describe(minimum)}.");

    public static readonly DomainError CronNeverFires =
        DomainError.Validation("schedule.cron_never_fires", "cron", "This expression never fires (no date matches it).");

    public static DomainError TimeZoneUnknown(string? timeZone) => DomainError.Validation(
        "schedule.timezone_unknown", "timezone", $"'{timeZone}' is not an IANA time zone (for example Europe/Berlin).");

    /// <summary>The <c>query_id</c> names no saved query of the caller's organization (another organization's looks the same).</summary>
    public static readonly DomainError QueryNotFound =
        DomainError.Validation("schedule.query_not_found", "query_id", "No saved query of your organization has this id.");

    public static readonly DomainError QueryArchived =
        DomainError.Conflict("schedule.query_archived", "The query is archived: restore it before scheduling it.");

    public static readonly DomainError Archived =
        DomainError.Conflict("schedule.archived", "This schedule is archived: restore it before changing or triggering it.");

    /// <summary>PostgreSQL text cannot hold U+0000, so no stored text may contain it.</summary>
    public static DomainError NulCharacter(string field) =>
        DomainError.Validation("schedule.nul_character", field, "Text may not contain the NUL character (U+0000).");

    private static string Describe(TimeSpan span) =>
        span.TotalSeconds < 60 ? $"{span.TotalSeconds:0} seconds"
        : span.TotalMinutes < 60 ? $"{span.TotalMinutes:0.#} minutes"
        : $"{span.TotalHours:0.#} hours";
}
