using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Paging;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Runs;
using MediatR;

namespace Loupe.Application.Runs.Queries.ListRuns;

/// <summary>
/// The organization's runs, newest first by default. Filters: <c>status</c>, <c>datasource_id</c>,
/// <c>query_id</c> (the saved query), <c>owner_id</c> (who asked), <c>created_after</c>/<c>created_before</c> (queued time).
/// </summary>
[Authorize]
public sealed record ListRunsQuery(IReadOnlyDictionary<string, string?> Query) : IRequest<PagedResult<RunDto>>;

internal sealed class ListRunsQueryHandler(IReadStore store, IQueryExecutor executor) : IRequestHandler<ListRunsQuery, PagedResult<RunDto>>
{
    private static readonly SortWhitelist<QueryRun> Sorts = SortWhitelist<QueryRun>.For()
        .Field("queued_at", r => r.QueuedAt)
        .Field("created_at", r => r.QueuedAt)
        .TieBreaker(r => r.Id)
        .Default("-queued_at");

    private static readonly string[] Statuses = [.. Enum.GetValues<RunStatus>().Select(s => s.ToName())];

    public async Task<PagedResult<RunDto>> Handle(ListRunsQuery request, CancellationToken cancellationToken)
    {
        var parameters = ListParameters.Parse(request.Query, Sorts, Statuses);
        var dataSourceId = IdFilter(request.Query, "datasource_id");
        var queryId = IdFilter(request.Query, "query_id");
        var runs = store.Query<QueryRun>()
            .ApplyStatus(parameters.Filter, r => r.Status, text => RunStatuses.TryParse(text, out var status) ? status : RunStatus.Queued)
            .ApplyCreatedRange(parameters.Filter, r => r.QueuedAt);
        if (dataSourceId is { } source)
        {
            runs = runs.Where(r => r.DataSourceId == source);
        }

        if (queryId is { } query)
        {
            runs = runs.Where(r => r.SavedQueryId == query);
        }

        if (parameters.Filter.OwnerId is { } owner)
        {
            runs = runs.Where(r => r.RequestedBy == owner);
        }

        var page = await runs.ToPageAsync(parameters, executor, cancellationToken).ConfigureAwait(false);
        return page.Map(run => RunDto.From(run));
    }

    private static Guid? IdFilter(IReadOnlyDictionary<string, string?> query, string name)
    {
        if (!query.TryGetValue(name, out var text) || string.IsNullOrEmpty(text))
        {
            return null;
        }

        return Guid.TryParse(text, out var id)
            ? id
            : throw new ValidationFailedException(new Dictionary<string, string[]> { [name] = [$"{name} must be a UUID."] });
    }
}
