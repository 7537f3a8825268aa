using Loupe.Domain.Common;

namespace Loupe.Domain.PasswordResets;

/// <summary>A single-use permission to set a new password, valid for <see cref="LifetimeMinutes"/> minutes.</summary>
public sealed class PasswordReset : AggregateRoot, ITenantOwned
{
    /// <summary>How many minutes a reset link works: its expiry, and what its mail says.</summary>
    public const int LifetimeMinutes = 30;

    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(LifetimeMinutes);

    private PasswordReset(Guid id, Guid organizationId, Guid userId, string tokenHash, DateTimeOffset createdAt)
        : base(id)
    {
        OrganizationId = organizationId;
        UserId = userId;
        TokenHash = tokenHash;
        CreatedAt = createdAt;
        ExpiresAt = createdAt + Lifetime;
    }

    public Guid OrganizationId { get; private set; }

    public Guid UserId { get; private set; }

    public string TokenHash { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset? UsedAt { get; private set; }

    public static PasswordReset Issue(Guid id, Guid organizationId, Guid userId, string tokenHash, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenHash);
        return new PasswordReset(id, organizationId, userId, tokenHash, now);
    }

    /// <summary>Spends the token. It works once, before it expires.</summary>
    public void Use(DateTimeOffset now)
    {
        if (UsedAt is not null || ExpiresAt <= now)
        {
            throw new DomainException(PasswordResetErrors.InvalidOrExpired);
        }

        UsedAt = now;
    }

    /// <summary>
    /// Ends a token that was not used: the password was set another way (another token, or changed by
    /// its owner), so an older link lying in a mailbox must not set it again. It counts as spent.
    /// </summary>
    public void Supersede(DateTimeOffset now) => UsedAt ??= now;
}

public static class PasswordResetErrors
{
    public static readonly DomainError InvalidOrExpired =
        DomainError.Validation("password_reset.invalid", "token", "This reset link is invalid or has expired. Ask for a new one.");
}
