using Loupe.Domain.Common;

namespace Loupe.Domain.Organizations;

/// <summary>
/// A tenant: the team that owns users, data sources, queries and everything built on them.
/// Every tenant table points at one.
/// </summary>
public sealed class Organization : AggregateRoot
{
    public const int NameMaxLength = 100;
    public const string DefaultTimeZone = "UTC";

    private Organization(Guid id, string name, string timeZone, DateTimeOffset createdAt)
        : base(id)
    {
        Name = name;
        TimeZone = timeZone;
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
    }

    public string Name { get; private set; }

    /// <summary>IANA zone used when a schedule or a preset names none.</summary>
    public string TimeZone { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static Organization Create(Guid id, string name, DateTimeOffset now, string? timeZone = null)
    {
        var organization = new Organization(id, CheckName(name), CheckTimeZone(timeZone ?? DefaultTimeZone), now);
        organization.Raise(new OrganizationCreated(id, organization.Name, now));
        return organization;
    }

    public void Rename(string name, DateTimeOffset now)
    {
        var checkedName = CheckName(name);
        if (checkedName == Name)
        {
            return;
        }

        Name = checkedName;
        UpdatedAt = now;
    }

    /// <summary>
    /// Marks that members or their roles changed. Rules over all members (at least one admin) are
    /// checked against the organization's state; touching it makes two concurrent changes conflict
    /// instead of both passing the check.
    /// </summary>
    public void RecordMembershipChange(DateTimeOffset now) => UpdatedAt = now;

    public void ChangeTimeZone(string timeZone, DateTimeOffset now)
    {
        TimeZone = CheckTimeZone(timeZone);
        UpdatedAt = now;
    }

    private static string CheckName(string name)
    {
        var trimmed = name?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            throw new DomainException(OrganizationErrors.NameRequired);
        }

        if (trimmed.Length > NameMaxLength)
        {
            throw new DomainException(OrganizationErrors.NameTooLong);
        }

        return trimmed;
    }

    private static string CheckTimeZone(string timeZone)
    {
        if (string.IsNullOrWhiteSpace(timeZone) || !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _))
        {
            throw new DomainException(OrganizationErrors.UnknownTimeZone(timeZone));
        }

        return timeZone;
    }
}
