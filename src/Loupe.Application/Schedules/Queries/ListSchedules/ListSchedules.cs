using Loupe.Application.Common;
using Loupe.Application.Common.Paging;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Queries;
using Loupe.Domain.Schedules;
using MediatR;

namespace Loupe.Application.Schedules.Queries.ListSchedules;

/// <summary>
/// The organization's schedules. Active ones unless <c>status=archived</c>; <c>query_id</c>,
/// <c>q</c> (name), <c>tags</c> (every one, any case), <c>owner_id</c> and the created/updated ranges
/// narrow further. Sorted by <c>name</c>, <c>created_at</c> or <c>updated_at</c> (default <c>-updated_at</c>).
/// </summary>
[Authorize]
public sealed record ListSchedulesQuery(IReadOnlyDictionary<string, string?> Query) : IRequest<PagedResult<ScheduleDto>>
{
    public const string QueryFilter = "query_id";
}

internal sealed class ListSchedulesQueryHandler(IReadStore store, IQueryExecutor executor)
    : IRequestHandler<ListSchedulesQuery, PagedResult<ScheduleDto>>
{
    private static readonly SortWhitelist<Schedule> Sorts = SortWhitelist<Schedule>.For()
        .Field("name", s => s.Name)
        .Field("created_at", s => s.CreatedAt)
        .Field("updated_at", s => s.UpdatedAt)
        .TieBreaker(s => s.Id)
        .Default("-updated_at");

    /// <summary>The values of the <c>status</c> filter: a schedule is active or archived, as every item is.</summary>
    private static readonly IReadOnlyList<string> Statuses = ItemStatuses.All;

    public async Task<PagedResult<ScheduleDto>> Handle(ListSchedulesQuery request, CancellationToken cancellationToken)
    {
        var parameters = ListParameters.Parse(request.Query, Sorts, Statuses, [ListSchedulesQuery.QueryFilter]);
        var tags = new ListFilter { Tags = [.. parameters.Filter.Tags.Select(QueryTags.NormalizeOne).Distinct(StringComparer.Ordinal)] };
        var rows = store.Query<Schedule>()
            .ApplyItemStatus(parameters.Filter, s => s.ArchivedAt)
            .ApplyText(parameters.Filter, s => s.Name)
            .ApplyTags(tags, s => s.Tags)
            .ApplyOwner(parameters.Filter, s => s.OwnerId!.Value)
            .ApplyCreatedRange(parameters.Filter, s => s.CreatedAt)
            .ApplyUpdatedRange(parameters.Filter, s => s.UpdatedAt);
        if (parameters.Filter.IdOf(ListSchedulesQuery.QueryFilter) is { } queryId)
        {
            rows = rows.Where(s => s.QueryId == queryId);
        }

        var page = await rows.ToPageAsync(parameters, executor, cancellationToken).ConfigureAwait(false);
        return page.Map(ScheduleDto.From);
    }
}
