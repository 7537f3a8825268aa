using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.ApiKeys;
using Loupe.Domain.Invitations;
using Loupe.Domain.Users;
using MediatR;

namespace Loupe.Application.Organizations.Queries.GetUsage;

/// <summary>What the organization holds now. Run, row and result-byte counters join when runs exist.</summary>
[Authorize]
public sealed record GetUsageQuery : IRequest<UsageDto>;

public sealed record UsageDto(int Users, int Admins, int ActiveApiKeys, int PendingInvitations, int MaxUsers);

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
        return new UsageDto(users, admins, keys, invitations, settings.MaxUsersPerOrganization);
    }
}
