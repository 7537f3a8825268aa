using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Dashboards;
using MediatR;

namespace Loupe.Application.Dashboards.Queries.GetDashboard;

/// <summary>
/// A dashboard, archived or not, as its own document: tiles (text tiles with their sanitized
/// rendering), parameters and mappings, with the row version for its <c>ETag</c>.
/// </summary>
[Authorize]
public sealed record GetDashboardQuery(Guid Id) : IRequest<Versioned<DashboardDto>>;

internal sealed class GetDashboardQueryHandler(IReadStore store, IQueryExecutor executor, IMarkdownRenderer markdown)
    : IRequestHandler<GetDashboardQuery, Versioned<DashboardDto>>
{
    public async Task<Versioned<DashboardDto>> Handle(GetDashboardQuery request, CancellationToken cancellationToken)
    {
        var dashboard = await executor.FirstOrDefaultAsync(store.Query<Dashboard>().Where(d => d.Id == request.Id), cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Dashboard", request.Id);
        return new Versioned<DashboardDto>(DashboardDto.From(dashboard, markdown), dashboard.RowVersion);
    }
}
