using Loupe.Domain.Common;

namespace Loupe.Domain.Organizations;

public static class OrganizationErrors
{
    public static readonly DomainError NameRequired =
        DomainError.Validation("organization.name_required", "name", "An organization needs a name.");

    public static readonly DomainError NameTooLong =
        DomainError.Validation(
            "organization.name_too_long",
            "name",
            $"An organization name has at most {Organization.NameMaxLength} characters.");

    public static DomainError UserQuotaReached(int limit) =>
        DomainError.Conflict(
            "organization.user_quota_reached",
            $"This organization has reached its limit of {limit} members (pending invitations included). Remove someone or revoke an invitation first.");

    public static DomainError UnknownTimeZone(string? timeZone) =>
        DomainError.Validation(
            "organization.unknown_time_zone",
            "time_zone",
            $"'{timeZone}' is not an IANA time zone.");
}
