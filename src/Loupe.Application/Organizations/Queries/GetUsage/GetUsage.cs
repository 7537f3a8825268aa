using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.ApiKeys;
using Loupe.Domain.Invitations;
using Loupe.Domain.Runs;
using Loupe.Domain.Users;
using MediatR;

namespace Loupe.Application.Organizations.Queries.GetUsage;

/// <summary>
/// What the organization holds now, and what it ran this calendar month (UTC): runs queued, rows
/// they returned, and the bytes its stored results take.
/// </summary>
[Authorize]
public sealed record GetUsageQuery : IRequest<UsageDto>;

public sealed record UsageDto(
    int Users, int Admins, int ActiveApiKeys, int PendingInvitations, int MaxUsers, int RunsThisMonth, long RowsThisMonth, long StoredResultBytes);

internal sealed record RunTotals(int Count, long Rows);

internal sealed class GetUsageQueryHandler(IReadStore store, IQueryExecutor executor, IInstanceSettings settings, TimeProvider clock) : IRequestHandler<GetUsageQuery, UsageDto>
{
    public async Task<UsageDto> Handle(GetUsageQuery request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var users = await executor.CountAsync(store.Query<User>(), cancellationToken).ConfigureAwait(false);
        var admins = await executor.CountAsync(store.Query<User>().Where(u => u.Role == Domain.Organizations.Role.Admin), cancellationToken).ConfigureAwait(false);
        var keys = await executor.CountAsync(store.Query<ApiKey>().Where(k => k.RevokedAt == null), cancellationToken).ConfigureAwait(false);
        var invitations = await executor.CountAsync(
            store.Query<Invitation>().Where(i => i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now), cancellationToken).ConfigureAwait(false);
        var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var runs = await executor.FirstOrDefaultAsync(
            store.Query<QueryRun>().Where(r => r.QueuedAt >= monthStart).GroupBy(r => 1).Select(g => new RunTotals(g.Count(), g.Sum(r => r.RowCount ?? 0))),
            cancellationToken).ConfigureAwait(false) ?? new RunTotals(0, 0);
        var storedBytes = await executor.FirstOrDefaultAsync(
            store.Query<QueryRun>().Where(r => r.Status == RunStatus.Succeeded && !r.ResultExpired).GroupBy(r => 1).Select(g => g.Sum(r => r.ResultBytes ?? 0)),
            cancellationToken).ConfigureAwait(false);
        return new UsageDto(users, admins, keys, invitations, settings.MaxUsersPerOrganization, runs.Count, runs.Rows, storedBytes);
    }
}
