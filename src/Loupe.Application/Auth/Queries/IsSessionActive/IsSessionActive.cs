using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Sessions;
using MediatR;

namespace Loupe.Application.Auth.Queries.IsSessionActive;

/// <summary>
/// Whether the session an access token was issued for still stands: not revoked (logout, reuse,
/// password reset), not expired, and its user not removed. Checked on every request that carries
/// an access token, so signing out or removing someone takes effect at once, not when the token expires.
/// </summary>
[AllowAnonymous]
public sealed record IsSessionActiveQuery(Guid SessionId, Guid UserId, Guid OrganizationId) : IRequest<bool>;

internal sealed class IsSessionActiveQueryHandler(ITenantScope tenant, IReadStore store, IQueryExecutor executor, TimeProvider clock)
    : IRequestHandler<IsSessionActiveQuery, bool>
{
    public async Task<bool> Handle(IsSessionActiveQuery request, CancellationToken cancellationToken)
    {
        tenant.Enter(request.OrganizationId);
        var now = clock.GetUtcNow();
        var active = await executor.CountAsync(
            store.Query<Session>().Where(s => s.Id == request.SessionId && s.UserId == request.UserId && s.RevokedAt == null && s.ExpiresAt > now),
            cancellationToken).ConfigureAwait(false);
        return active == 1;
    }
}
