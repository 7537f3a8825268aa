using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Paging;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Queries;
using MediatR;

namespace Loupe.Application.SavedQueries.Queries.ListSavedQueryVersions;

/// <summary>Every kept version of a query's SQL and parameters, newest first by default (sort by <c>version</c> or <c>created_at</c>).</summary>
[Authorize]
public sealed record ListSavedQueryVersionsQuery(Guid Id, IReadOnlyDictionary<string, string?> Query) : IRequest<PagedResult<SavedQueryVersionDto>>;

internal sealed class ListSavedQueryVersionsQueryHandler(IReadStore store, IQueryExecutor executor)
    : IRequestHandler<ListSavedQueryVersionsQuery, PagedResult<SavedQueryVersionDto>>
{
    private static readonly SortWhitelist<SavedQueryVersion> Sorts = SortWhitelist<SavedQueryVersion>.For()
        .Field("version", v => v.Number)
        .Field("created_at", v => v.CreatedAt)
        .TieBreaker(v => v.Id)
        .Default("-version");

    public async Task<PagedResult<SavedQueryVersionDto>> Handle(ListSavedQueryVersionsQuery request, CancellationToken cancellationToken)
    {
        var parameters = ListParameters.Parse(request.Query, Sorts);
        var exists = await executor.CountAsync(store.Query<SavedQuery>().Where(q => q.Id == request.Id), cancellationToken).ConfigureAwait(false);
        if (exists == 0)
        {
            throw new NotFoundException("Query", request.Id);
        }

        var page = await store.Query<SavedQueryVersion>()
            .Where(v => v.QueryId == request.Id)
            .ApplyCreatedRange(parameters.Filter, v => v.CreatedAt)
            .ToPageAsync(parameters, executor, cancellationToken)
            .ConfigureAwait(false);
        return page.Map(SavedQueryVersionDto.From);
    }
}
