using Loupe.Application.Common.Paging;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Sessions;
using MediatR;

namespace Loupe.Application.Auth.Queries.ListSessions;

/// <summary>
/// The caller's active sessions, a list like every other (<c>page</c>, <c>per_page</c>, <c>sort</c> by
/// <c>last_used_at</c> or <c>created_at</c>, most recently used first); the one making the request is marked current.
/// </summary>
[Authorize(SignedInOnly = true)]
public sealed record ListSessionsQuery(IReadOnlyDictionary<string, string?> Query) : IRequest<PagedResult<SessionDto>>;

public sealed record SessionDto(
    Guid Id, DateTimeOffset CreatedAt, DateTimeOffset LastUsedAt, DateTimeOffset ExpiresAt, string? UserAgent, string? IpAddress, bool Current);

internal sealed class ListSessionsQueryHandler(ICurrentUser currentUser, IReadStore store, IQueryExecutor executor, TimeProvider clock)
    : IRequestHandler<ListSessionsQuery, PagedResult<SessionDto>>
{
    private static readonly SortWhitelist<Session> Sorts = SortWhitelist<Session>.For()
        .Field("last_used_at", s => s.LastUsedAt)
        .Field("created_at", s => s.CreatedAt)
        .TieBreaker(s => s.Id)
        .Default("-last_used_at");

    public Task<PagedResult<SessionDto>> Handle(ListSessionsQuery request, CancellationToken cancellationToken)
    {
        var parameters = ListParameters.Parse(request.Query, Sorts);
        var now = clock.GetUtcNow();
        var current = currentUser.SessionId;
        return store.Query<Session>()
            .Where(s => s.UserId == currentUser.UserId && s.RevokedAt == null && s.ExpiresAt > now)
            .ToPageAsync(
                parameters,
                s => new SessionDto(s.Id, s.CreatedAt, s.LastUsedAt, s.ExpiresAt, s.UserAgent, s.IpAddress, s.Id == current),
                executor,
                cancellationToken);
    }
}
