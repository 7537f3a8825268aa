using Loupe.Domain.Common;
using Loupe.Domain.Organizations;

namespace Loupe.Domain.Users;

/// <summary>A person who signs in to Loupe. A user belongs to one organization, with one role in it.</summary>
public sealed class User : AggregateRoot, ITenantOwned
{
    public const int NameMaxLength = 100;

    private User(Guid id, Guid organizationId, EmailAddress email, string name, string passwordHash, Role role, bool isInstanceAdmin, DateTimeOffset createdAt)
        : base(id)
    {
        OrganizationId = organizationId;
        Email = email;
        Name = name;
        PasswordHash = passwordHash;
        Role = role;
        IsInstanceAdmin = isInstanceAdmin;
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
    }

    public Guid OrganizationId { get; private set; }

    public EmailAddress Email { get; private set; }

    public string Name { get; private set; }

    /// <summary>The encoded Argon2id hash; never the password.</summary>
    public string PasswordHash { get; private set; }

    public Role Role { get; private set; }

    /// <summary>May operate this Loupe instance (the jobs dashboard), whatever the organization.</summary>
    public bool IsInstanceAdmin { get; private set; }

    private readonly List<DateTimeOffset> _recentFailedLogins = [];

    /// <summary>Failed sign-ins still inside the lockout window, oldest first (at most the policy's maximum).</summary>
    public IReadOnlyList<DateTimeOffset> RecentFailedLogins => _recentFailedLogins.AsReadOnly();

    public int FailedLoginCount => _recentFailedLogins.Count;

    public DateTimeOffset? LockedUntil { get; private set; }

    public DateTimeOffset? LastLoginAt { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <param name="passwordHash">The hash of a password that already passed <see cref="PasswordPolicy"/>.</param>
    public static User Register(
        Guid id, Guid organizationId, EmailAddress email, string name, string passwordHash, Role role, bool isInstanceAdmin, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(email);
        ArgumentException.ThrowIfNullOrEmpty(passwordHash);
        var user = new User(id, organizationId, email, CheckName(name), passwordHash, role, isInstanceAdmin, now);
        user.Raise(new UserRegistered(id, organizationId, role, now));
        return user;
    }

    public bool IsLockedAt(DateTimeOffset now) => LockedUntil is { } until && until > now;

    /// <summary>
    /// Counts a failed login in a sliding window: when <see cref="LockoutPolicy.MaxFailures"/> failures
    /// fall within any <see cref="LockoutPolicy.Window"/>, the account locks. Returns true when this
    /// failure locked it. Failures while locked are not counted: the lock already answers them.
    /// </summary>
    public bool RecordFailedLogin(DateTimeOffset now, LockoutPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);

        // Failures are counted after the fact (by a job), so one can arrive after a later successful
        // sign-in, which wiped the count: it belongs to the count that sign-in ended.
        if (IsLockedAt(now) || (LastLoginAt is { } lastLogin && now < lastLogin))
        {
            return false;
        }

        _recentFailedLogins.RemoveAll(failedAt => now - failedAt > policy.Window);
        _recentFailedLogins.Add(now);
        if (_recentFailedLogins.Count < policy.MaxFailures)
        {
            return false;
        }

        LockedUntil = now + policy.LockFor;
        _recentFailedLogins.Clear();
        return true;
    }

    public void RecordSuccessfulLogin(DateTimeOffset now)
    {
        _recentFailedLogins.Clear();
        LockedUntil = null;
        LastLoginAt = now;
    }

    public void ChangePasswordHash(string passwordHash, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(passwordHash);
        PasswordHash = passwordHash;
        LockedUntil = null;
        _recentFailedLogins.Clear();
        UpdatedAt = now;
    }

    public void Rename(string name, DateTimeOffset now)
    {
        Name = CheckName(name);
        UpdatedAt = now;
    }

    /// <param name="adminsInOrganization">How many admins the organization has now, this user included.</param>
    public void ChangeRole(Role role, int adminsInOrganization, DateTimeOffset now)
    {
        if (Role == role)
        {
            return;
        }

        if (Role == Role.Admin && adminsInOrganization <= 1)
        {
            throw new DomainException(UserErrors.LastAdmin);
        }

        Role = role;
        UpdatedAt = now;
    }

    /// <summary>Checks the user may leave the organization; the caller then deletes it.</summary>
    public void EnsureRemovable(int adminsInOrganization)
    {
        if (Role == Role.Admin && adminsInOrganization <= 1)
        {
            throw new DomainException(UserErrors.LastAdmin);
        }
    }

    private static string CheckName(string? name)
    {
        var trimmed = name?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            throw new DomainException(UserErrors.NameRequired);
        }

        return trimmed.Length <= NameMaxLength ? trimmed : throw new DomainException(UserErrors.NameTooLong);
    }
}

public sealed record UserRegistered(Guid UserId, Guid OrganizationId, Role Role, DateTimeOffset OccurredAt) : IDomainEvent;
