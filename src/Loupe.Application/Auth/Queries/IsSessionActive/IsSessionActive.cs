using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Common;
using Loupe.Domain.Organizations;
using Loupe.Domain.Sessions;
using Loupe.Domain.Users;
using MediatR;

namespace Loupe.Application.Auth.Queries.IsSessionActive;

/// <summary>
/// Whether the session an access token was issued for still stands — not revoked (logout, reuse,
/// password reset), not expired, its user not removed — and the user's role now. Checked on every
/// request that carries an access token, so signing out, removing someone or changing their role
/// takes effect at once, not when the token expires. Records the session's use (its
/// <c>last_used_at</c>) at most once a minute.
/// </summary>
[AllowAnonymous]
public sealed record IsSessionActiveQuery(Guid SessionId, Guid UserId, Guid OrganizationId) : IRequest<SessionStanding?>;

/// <summary>What the caller is now, which wins over what their access token says.</summary>
public sealed record SessionStanding(Role Role, bool IsInstanceAdmin);

internal sealed class IsSessionActiveQueryHandler(
    ITenantScope tenant, IReadStore store, IQueryExecutor executor, ICredentialUsage usage, TimeProvider clock)
    : IRequestHandler<IsSessionActiveQuery, SessionStanding?>
{
    public async Task<SessionStanding?> Handle(IsSessionActiveQuery request, CancellationToken cancellationToken)
    {
        tenant.Enter(request.OrganizationId);
        var now = clock.GetUtcNow();
        var found = await executor.FirstOrDefaultAsync(
            from session in store.Query<Session>()
            join user in store.Query<User>() on session.UserId equals user.Id
            where session.Id == request.SessionId && session.UserId == request.UserId && session.RevokedAt == null && session.ExpiresAt > now
            select new { user.Role, user.IsInstanceAdmin, session.LastUsedAt },
            cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            return null;
        }

        if (CredentialUse.IsDue(found.LastUsedAt, now))
        {
            await usage.RecordSessionUseAsync(request.SessionId, now, cancellationToken).ConfigureAwait(false);
        }

        return new SessionStanding(found.Role, found.IsInstanceAdmin);
    }
}
