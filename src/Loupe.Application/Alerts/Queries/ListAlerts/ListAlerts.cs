using Loupe.Application.Common;
using Loupe.Application.Common.Paging;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Alerts;
using MediatR;

namespace Loupe.Application.Alerts.Queries.ListAlerts;

/// <summary>
/// The organization's alerts. Active ones unless <c>status=archived</c>; <c>query_id</c>, <c>q</c> (name),
/// <c>owner_id</c> and the created/updated ranges narrow further. Sorted by <c>name</c>, <c>created_at</c>
/// or <c>updated_at</c> (default <c>-updated_at</c>).
/// </summary>
[Authorize]
public sealed record ListAlertsQuery(IReadOnlyDictionary<string, string?> Query) : IRequest<PagedResult<AlertDto>>
{
    public const string QueryFilter = "query_id";
}

internal sealed class ListAlertsQueryHandler(IReadStore store, IQueryExecutor executor) : IRequestHandler<ListAlertsQuery, PagedResult<AlertDto>>
{
    private static readonly IReadOnlyList<string> Statuses = ItemStatuses.All;

    private static readonly SortWhitelist<Alert> Sorts = SortWhitelist<Alert>.For()
        .Field("name", a => a.Name)
        .Field("created_at", a => a.CreatedAt)
        .Field("updated_at", a => a.UpdatedAt)
        .TieBreaker(a => a.Id)
        .Default("-updated_at");

    public async Task<PagedResult<AlertDto>> Handle(ListAlertsQuery request, CancellationToken cancellationToken)
    {
        var parameters = ListParameters.Parse(request.Query, Sorts, Statuses, [ListAlertsQuery.QueryFilter]);
        var rows = store.Query<Alert>()
            .ApplyItemStatus(parameters.Filter, a => a.ArchivedAt)
            .ApplyText(parameters.Filter, a => a.Name)
            .ApplyOwner(parameters.Filter, a => a.OwnerId!.Value)
            .ApplyCreatedRange(parameters.Filter, a => a.CreatedAt)
            .ApplyUpdatedRange(parameters.Filter, a => a.UpdatedAt);
        if (parameters.Filter.IdOf(ListAlertsQuery.QueryFilter) is { } queryId)
        {
            rows = rows.Where(a => a.QueryId == queryId);
        }

        var page = await rows.ToPageAsync(parameters, executor, cancellationToken).ConfigureAwait(false);
        return page.Map(AlertDto.From);
    }
}
