using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Paging;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Dashboards;
using MediatR;

namespace Loupe.Application.Dashboards.Queries.ListDashboardVersions;

/// <summary>Every kept version of a dashboard (archived ones too), newest first by default (sort by <c>version</c> or <c>created_at</c>).</summary>
[Authorize]
public sealed record ListDashboardVersionsQuery(Guid Id, IReadOnlyDictionary<string, string?> Query) : IRequest<PagedResult<DashboardVersionDto>>;

internal sealed class ListDashboardVersionsQueryHandler(IReadStore store, IQueryExecutor executor, IMarkdownRenderer markdown)
    : IRequestHandler<ListDashboardVersionsQuery, PagedResult<DashboardVersionDto>>
{
    private static readonly SortWhitelist<DashboardVersion> Sorts = SortWhitelist<DashboardVersion>.For()
        .Field("version", v => v.Number)
        .Field("created_at", v => v.CreatedAt)
        .TieBreaker(v => v.Id)
        .Default("-version");

    public async Task<PagedResult<DashboardVersionDto>> Handle(ListDashboardVersionsQuery request, CancellationToken cancellationToken)
    {
        var parameters = ListParameters.Parse(request.Query, Sorts);
        var exists = await executor.CountAsync(store.Query<Dashboard>().Where(d => d.Id == request.Id), cancellationToken).ConfigureAwait(false);
        if (exists == 0)
        {
            throw new NotFoundException("Dashboard", request.Id);
        }

        var page = await store.Query<DashboardVersion>()
            .Where(v => v.DashboardId == request.Id)
            .ApplyCreatedRange(parameters.Filter, v => v.CreatedAt)
            .ToPageAsync(parameters, executor, cancellationToken)
            .ConfigureAwait(false);
        return page.Map(version => DashboardVersionDto.From(version, markdown));
    }
}
