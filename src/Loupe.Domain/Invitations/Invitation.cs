using Loupe.Domain.Common;
using Loupe.Domain.Organizations;
using Loupe.Domain.Users;

namespace Loupe.Domain.Invitations;

/// <summary>An admin's offer to one email address to join the organization with a role, valid for <see cref="LifetimeDays"/> days.</summary>
public sealed class Invitation : AggregateRoot, ITenantOwned
{
    /// <summary>How many days an invitation can be accepted: its expiry, and what its mail and the API say.</summary>
    public const int LifetimeDays = 7;

    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(LifetimeDays);

    private Invitation(Guid id, Guid organizationId, EmailAddress email, Role role, string tokenHash, Guid invitedByUserId, DateTimeOffset createdAt)
        : base(id)
    {
        OrganizationId = organizationId;
        Email = email;
        Role = role;
        TokenHash = tokenHash;
        InvitedByUserId = invitedByUserId;
        CreatedAt = createdAt;
        ExpiresAt = createdAt + Lifetime;
    }

    public Guid OrganizationId { get; private set; }

    public EmailAddress Email { get; private set; }

    public Role Role { get; private set; }

    public string TokenHash { get; private set; }

    public Guid InvitedByUserId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset? AcceptedAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public InvitationStatus StatusAt(DateTimeOffset now) =>
        AcceptedAt is not null ? InvitationStatus.Accepted
        : RevokedAt is not null ? InvitationStatus.Revoked
        : ExpiresAt <= now ? InvitationStatus.Expired
        : InvitationStatus.Pending;

    public static Invitation Create(Guid id, Guid organizationId, EmailAddress email, Role role, string tokenHash, Guid invitedBy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(email);
        ArgumentException.ThrowIfNullOrEmpty(tokenHash);
        return new Invitation(id, organizationId, email, role, tokenHash, invitedBy, now);
    }

    /// <summary>Accepts the invitation for <paramref name="email"/>, which must be the address invited.</summary>
    public void Accept(EmailAddress email, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(email);
        if (StatusAt(now) != InvitationStatus.Pending)
        {
            throw new DomainException(InvitationErrors.NotPending);
        }

        if (email != Email)
        {
            throw new DomainException(InvitationErrors.EmailMismatch);
        }

        AcceptedAt = now;
    }

    /// <returns>True when this call revoked it, false when it already was revoked (nothing to record).</returns>
    public bool Revoke(DateTimeOffset now)
    {
        if (StatusAt(now) is InvitationStatus.Accepted)
        {
            throw new DomainException(InvitationErrors.AlreadyAccepted);
        }

        if (RevokedAt is not null)
        {
            return false;
        }

        RevokedAt = now;
        return true;
    }
}

public enum InvitationStatus
{
    Pending,
    Accepted,
    Revoked,
    Expired,
}

public static class InvitationErrors
{
    public static readonly DomainError NotPending =
        DomainError.Validation("invitation.not_pending", "invitation_token", "This invitation is no longer valid: it was used, revoked or has expired.");

    public static readonly DomainError EmailMismatch =
        DomainError.Validation("invitation.email_mismatch", "email", "Register with the email address the invitation was sent to.");

    public static readonly DomainError AlreadyPending =
        DomainError.Conflict("invitation.already_pending", "This address already has a pending invitation: revoke it to send a new one.");

    /// <summary>
    /// The one answer to reading an invitation by its token when it is not pending: unknown, used,
    /// expired and revoked look alike, so the token's fate is not told to whoever holds it.
    /// </summary>
    public static readonly DomainError NotFound =
        DomainError.NotFound("invitation.not_found", "No pending invitation has this token: it may have been used, revoked or have expired.");

    public static readonly DomainError AlreadyAccepted =
        DomainError.Conflict("invitation.already_accepted", "This invitation was already accepted.");
}
