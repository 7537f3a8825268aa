using Ardalis.Specification;
using Loupe.Domain.Invitations;
using Loupe.Domain.Users;

namespace Loupe.Application.Organizations;

/// <summary>Pending invitations, of one address or (null) of all, but the one named <c>except</c> when given.</summary>
internal sealed class PendingInvitationsFor : Specification<Invitation>
{
    public PendingInvitationsFor(EmailAddress? email, DateTimeOffset now, Guid? except = null)
    {
        Query.Where(i => i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now);
        if (email is not null)
        {
            Query.Where(i => i.Email == email);
        }

        if (except is { } id)
        {
            Query.Where(i => i.Id != id);
        }
    }
}
