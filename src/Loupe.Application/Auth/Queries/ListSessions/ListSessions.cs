using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Sessions;
using MediatR;

namespace Loupe.Application.Auth.Queries.ListSessions;

/// <summary>The caller's active sessions, newest first; the one making the request is marked current.</summary>
[Authorize(SignedInOnly = true)]
public sealed record ListSessionsQuery : IRequest<IReadOnlyList<SessionDto>>;

public sealed record SessionDto(
    Guid Id, DateTimeOffset CreatedAt, DateTimeOffset LastUsedAt, DateTimeOffset ExpiresAt, string? UserAgent, string? IpAddress, bool Current);

internal sealed class ListSessionsQueryHandler(ICurrentUser currentUser, IReadStore store, IQueryExecutor executor, TimeProvider clock)
    : IRequestHandler<ListSessionsQuery, IReadOnlyList<SessionDto>>
{
    public async Task<IReadOnlyList<SessionDto>> Handle(ListSessionsQuery request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var current = currentUser.SessionId;
        var rows = await executor.ToListAsync(
            store.Query<Session>()
                .Where(s => s.UserId == currentUser.UserId && s.RevokedAt == null && s.ExpiresAt > now)
                .OrderByDescending(s => s.LastUsedAt).ThenBy(s => s.Id)
                .Take(100)
                .Select(s => new SessionDto(s.Id, s.CreatedAt, s.LastUsedAt, s.ExpiresAt, s.UserAgent, s.IpAddress, s.Id == current)),
            cancellationToken).ConfigureAwait(false);
        return rows;
    }
}
