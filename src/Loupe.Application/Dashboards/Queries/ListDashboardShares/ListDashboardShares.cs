using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Paging;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Dashboards;
using Loupe.Domain.Organizations;
using MediatR;

namespace Loupe.Application.Dashboards.Queries.ListDashboardShares;

/// <summary>
/// The share links of a dashboard (editors, signed in), live, expired and revoked, newest first by
/// default; never a token, only its prefix.
/// </summary>
[Authorize(MinimumRole = Role.Editor, SignedInOnly = true)]
public sealed record ListDashboardSharesQuery(Guid DashboardId, IReadOnlyDictionary<string, string?> Query) : IRequest<PagedResult<DashboardShareDto>>;

internal sealed class ListDashboardSharesQueryHandler(IReadStore store, IQueryExecutor executor, TimeProvider clock)
    : IRequestHandler<ListDashboardSharesQuery, PagedResult<DashboardShareDto>>
{
    private static readonly SortWhitelist<DashboardShare> Sorts = SortWhitelist<DashboardShare>.For()
        .Field("created_at", s => s.CreatedAt)
        .Field("expires_at", s => s.ExpiresAt)
        .Field("label", s => s.Label)
        .TieBreaker(s => s.Id)
        .Default("-created_at");

    public async Task<PagedResult<DashboardShareDto>> Handle(ListDashboardSharesQuery request, CancellationToken cancellationToken)
    {
        var parameters = ListParameters.Parse(request.Query, Sorts);
        var exists = await executor.CountAsync(store.Query<Dashboard>().Where(d => d.Id == request.DashboardId), cancellationToken).ConfigureAwait(false);
        if (exists == 0)
        {
            throw new NotFoundException("Dashboard", request.DashboardId);
        }

        var page = await store.Query<DashboardShare>()
            .Where(s => s.DashboardId == request.DashboardId)
            .ApplyCreatedRange(parameters.Filter, s => s.CreatedAt)
            .ToPageAsync(parameters, executor, cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        return page.Map(share => DashboardShareDto.From(share, now));
    }
}
