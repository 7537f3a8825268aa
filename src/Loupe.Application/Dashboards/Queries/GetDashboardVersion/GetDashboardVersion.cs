using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using MediatR;

namespace Loupe.Application.Dashboards.Queries.GetDashboardVersion;

/// <summary>One kept version of a dashboard, by its number (archived dashboards too); 404 when there is none.</summary>
[Authorize]
public sealed record GetDashboardVersionQuery(Guid Id, int Version) : IRequest<DashboardVersionDto>;

internal sealed class GetDashboardVersionQueryHandler(IReadStore store, IQueryExecutor executor, IMarkdownRenderer markdown)
    : IRequestHandler<GetDashboardVersionQuery, DashboardVersionDto>
{
    public async Task<DashboardVersionDto> Handle(GetDashboardVersionQuery request, CancellationToken cancellationToken) =>
        DashboardVersionDto.From(await DashboardVersions.FindAsync(store, executor, request.Id, request.Version, cancellationToken).ConfigureAwait(false), markdown);
}
