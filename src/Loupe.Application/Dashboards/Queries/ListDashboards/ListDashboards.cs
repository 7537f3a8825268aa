using Loupe.Application.Common;
using Loupe.Application.Common.Paging;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Dashboards;
using Loupe.Domain.Queries;
using Mapster;
using MediatR;

namespace Loupe.Application.Dashboards.Queries.ListDashboards;

/// <summary>
/// The organization's dashboards, without their tiles. Active ones unless <c>status=archived</c>;
/// <c>q</c> searches names and descriptions, <c>tags</c> keeps dashboards carrying every tag (any
/// case), <c>owner_id</c> and the created/updated ranges narrow further. Sorted by <c>name</c>,
/// <c>created_at</c> or <c>updated_at</c> (default <c>-updated_at</c>).
/// </summary>
[Authorize]
public sealed record ListDashboardsQuery(IReadOnlyDictionary<string, string?> Query) : IRequest<PagedResult<DashboardSummaryDto>>;

internal sealed class ListDashboardsQueryHandler(IReadStore store, IQueryExecutor executor, TypeAdapterConfig mapping)
    : IRequestHandler<ListDashboardsQuery, PagedResult<DashboardSummaryDto>>
{
    private static readonly IReadOnlyList<string> Statuses = ItemStatuses.All;

    private static readonly SortWhitelist<Dashboard> Sorts = SortWhitelist<Dashboard>.For()
        .Field("name", d => d.Name)
        .Field("created_at", d => d.CreatedAt)
        .Field("updated_at", d => d.UpdatedAt)
        .TieBreaker(d => d.Id)
        .Default("-updated_at");

    public async Task<PagedResult<DashboardSummaryDto>> Handle(ListDashboardsQuery request, CancellationToken cancellationToken)
    {
        var parameters = ListParameters.Parse(request.Query, Sorts, Statuses);
        var tags = new ListFilter { Tags = [.. parameters.Filter.Tags.Select(QueryTags.NormalizeOne).Distinct(StringComparer.Ordinal)] };
        return await store.Query<Dashboard>()
            .ApplyItemStatus(parameters.Filter, d => d.ArchivedAt)
            .ApplyText(parameters.Filter, d => d.Name, d => d.Description)
            .ApplyTags(tags, d => d.Tags)
            .ApplyOwner(parameters.Filter, d => d.OwnerId!.Value)
            .ApplyCreatedRange(parameters.Filter, d => d.CreatedAt)
            .ApplyUpdatedRange(parameters.Filter, d => d.UpdatedAt)
            .ToPageAsync(parameters, page => page.ProjectToType<DashboardSummaryDto>(mapping), executor, cancellationToken)
            .ConfigureAwait(false);
    }
}
