using Loupe.Application.Common.Paging;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Runs;
using Mapster;
using MediatR;

namespace Loupe.Application.Runs.Queries.ListRuns;

/// <summary>
/// The organization's runs the caller may see (saved queries' runs, and ad-hoc runs only their own
/// unless an admin), newest first by default. Filters, each named after the field of a run it reads:
/// <c>status</c>, <c>datasource_id</c>, <c>saved_query_id</c>, <c>requester_id</c> and
/// <c>queued_after</c>/<c>queued_before</c>.
/// </summary>
[Authorize]
public sealed record ListRunsQuery(IReadOnlyDictionary<string, string?> Query) : IRequest<PagedResult<RunDto>>
{
    public const string DataSourceFilter = "datasource_id";
    public const string SavedQueryFilter = "saved_query_id";
    public const string RequesterFilter = "requester_id";

    /// <summary>The timestamp field filtered by <c>queued_after</c>/<c>queued_before</c>.</summary>
    public const string QueuedRange = "queued";
}

internal sealed class ListRunsQueryHandler(ICurrentUser caller, IReadStore store, IQueryExecutor executor, TypeAdapterConfig mapping)
    : IRequestHandler<ListRunsQuery, PagedResult<RunDto>>
{
    private const string DataSourceFilter = ListRunsQuery.DataSourceFilter;
    private const string SavedQueryFilter = ListRunsQuery.SavedQueryFilter;
    private const string RequesterFilter = ListRunsQuery.RequesterFilter;

    private static readonly SortWhitelist<QueryRun> Sorts = SortWhitelist<QueryRun>.For()
        .Field("queued_at", r => r.QueuedAt)
        .TieBreaker(r => r.Id)
        .Default("-queued_at");

    private static readonly string[] Statuses = [.. Enum.GetValues<RunStatus>().Select(s => s.ToName())];

    public async Task<PagedResult<RunDto>> Handle(ListRunsQuery request, CancellationToken cancellationToken)
    {
        // One 400 names every bad parameter, the runs' own id filters included.
        var parameters = ListParameters.Parse(
            request.Query, Sorts, Statuses, [DataSourceFilter, SavedQueryFilter, RequesterFilter], [ListRunsQuery.QueuedRange]);
        var runs = store.Query<QueryRun>()
            .VisibleTo(caller)
            .ApplyStatus(parameters.Filter, r => r.Status, text => RunStatuses.TryParse(text, out var status) ? status : RunStatus.Queued)
            .ApplyRange(parameters.Filter.RangeOf(ListRunsQuery.QueuedRange), r => r.QueuedAt);
        if (parameters.Filter.IdOf(DataSourceFilter) is { } source)
        {
            runs = runs.Where(r => r.DataSourceId == source);
        }

        if (parameters.Filter.IdOf(SavedQueryFilter) is { } query)
        {
            runs = runs.Where(r => r.SavedQueryId == query);
        }

        if (parameters.Filter.IdOf(RequesterFilter) is { } requester)
        {
            runs = runs.Where(r => r.RequestedBy == requester);
        }

        return await runs.ToPageAsync(parameters, page => page.ProjectToType<RunDto>(mapping), executor, cancellationToken).ConfigureAwait(false);
    }
}
