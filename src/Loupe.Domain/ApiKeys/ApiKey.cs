using Loupe.Domain.Common;
using Loupe.Domain.Organizations;

namespace Loupe.Domain.ApiKeys;

/// <summary>A long-lived credential for scripts. Its secret is shown once; only its hash is kept.</summary>
public sealed class ApiKey : AggregateRoot, ITenantOwned
{
    public const int NameMaxLength = 100;

    /// <summary>How many characters of the secret are kept in clear to recognise a key in a list.</summary>
    public const int VisiblePrefixLength = 12;

    private ApiKey(Guid id, Guid organizationId, Guid createdByUserId, string name, string prefix, string secretHash, Role role, DateTimeOffset createdAt)
        : base(id)
    {
        OrganizationId = organizationId;
        CreatedByUserId = createdByUserId;
        Name = name;
        Prefix = prefix;
        SecretHash = secretHash;
        Role = role;
        CreatedAt = createdAt;
    }

    public Guid OrganizationId { get; private set; }

    public Guid CreatedByUserId { get; private set; }

    public string Name { get; private set; }

    public string Prefix { get; private set; }

    public string SecretHash { get; private set; }

    public Role Role { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? LastUsedAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public bool IsActive => RevokedAt is null;

    public static ApiKey Create(
        Guid id, Guid organizationId, Guid createdBy, Role creatorRole, string name, Role role, string secret, string secretHash, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentException.ThrowIfNullOrEmpty(secretHash);
        if (role > creatorRole)
        {
            throw new DomainException(ApiKeyErrors.RoleAboveCreator);
        }

        var trimmed = name?.Trim() ?? string.Empty;
        if (trimmed.Length is 0 or > NameMaxLength)
        {
            throw new DomainException(ApiKeyErrors.InvalidName);
        }

        return new ApiKey(id, organizationId, createdBy, trimmed, secret[..Math.Min(VisiblePrefixLength, secret.Length)], secretHash, role, now);
    }

    /// <summary>Records use at most once a minute (<see cref="CredentialUse"/>), so a busy script does not write on every call.</summary>
    public bool MarkUsed(DateTimeOffset now)
    {
        if (!CredentialUse.IsDue(LastUsedAt, now))
        {
            return false;
        }

        LastUsedAt = now;
        return true;
    }

    /// <summary>Revokes the key; revoking it again changes nothing.</summary>
    /// <returns>True when this call revoked it, false when it already was (nothing to record).</returns>
    public bool Revoke(DateTimeOffset now)
    {
        if (RevokedAt is not null)
        {
            return false;
        }

        RevokedAt = now;
        return true;
    }
}

public static class ApiKeyErrors
{
    public static readonly DomainError RoleAboveCreator =
        DomainError.Validation("api_key.role_above_creator", "role", "An API key cannot have a higher role than the person creating it.");

    public static readonly DomainError InvalidName =
        DomainError.Validation("api_key.invalid_name", "name", $"An API key needs a name of 1 to {ApiKey.NameMaxLength} characters.");

    /// <summary>
    /// API keys are for data. Managing sessions, keys, the account or the organization needs a person
    /// signed in, so a leaked key can never take over the account that made it.
    /// </summary>
    public static readonly DomainError NotAllowed = new(
        "auth.api_key_not_allowed",
        "API keys cannot do this: sign in to manage sessions, API keys, your account or the organization.",
        DomainErrorKind.Forbidden);
}
