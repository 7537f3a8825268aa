using Loupe.Application.Common.Paging;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Runs;
using Mapster;
using MediatR;

namespace Loupe.Application.Runs.Queries.ListRuns;

/// <summary>
/// The organization's runs the caller may see (saved queries' runs, and ad-hoc runs only their own
/// unless an admin), newest first by default. Filters: <c>status</c>, <c>datasource_id</c>,
/// <c>query_id</c> (the saved query), <c>owner_id</c> (who asked), <c>created_after</c>/<c>created_before</c> (queued time).
/// </summary>
[Authorize]
public sealed record ListRunsQuery(IReadOnlyDictionary<string, string?> Query) : IRequest<PagedResult<RunDto>>
{
    public const string DataSourceFilter = "datasource_id";
    public const string QueryFilter = "query_id";
}

internal sealed class ListRunsQueryHandler(ICurrentUser caller, IReadStore store, IQueryExecutor executor, TypeAdapterConfig mapping)
    : IRequestHandler<ListRunsQuery, PagedResult<RunDto>>
{
    private const string DataSourceFilter = ListRunsQuery.DataSourceFilter;
    private const string QueryFilter = ListRunsQuery.QueryFilter;

    private static readonly SortWhitelist<QueryRun> Sorts = SortWhitelist<QueryRun>.For()
        .Field("queued_at", r => r.QueuedAt)
        .Field("created_at", r => r.QueuedAt)
        .TieBreaker(r => r.Id)
        .Default("-queued_at");

    private static readonly string[] Statuses = [.. Enum.GetValues<RunStatus>().Select(s => s.ToName())];

    public async Task<PagedResult<RunDto>> Handle(ListRunsQuery request, CancellationToken cancellationToken)
    {
        // One 400 names every bad parameter, the runs' own id filters included.
        var parameters = ListParameters.Parse(request.Query, Sorts, Statuses, [DataSourceFilter, QueryFilter]);
        var runs = store.Query<QueryRun>()
            .VisibleTo(caller)
            .ApplyStatus(parameters.Filter, r => r.Status, text => RunStatuses.TryParse(text, out var status) ? status : RunStatus.Queued)
            .ApplyCreatedRange(parameters.Filter, r => r.QueuedAt);
        if (parameters.Filter.IdOf(DataSourceFilter) is { } source)
        {
            runs = runs.Where(r => r.DataSourceId == source);
        }

        if (parameters.Filter.IdOf(QueryFilter) is { } query)
        {
            runs = runs.Where(r => r.SavedQueryId == query);
        }

        if (parameters.Filter.OwnerId is { } owner)
        {
            runs = runs.Where(r => r.RequestedBy == owner);
        }

        return await runs.ToPageAsync(parameters, page => page.ProjectToType<RunDto>(mapping), executor, cancellationToken).ConfigureAwait(false);
    }
}
