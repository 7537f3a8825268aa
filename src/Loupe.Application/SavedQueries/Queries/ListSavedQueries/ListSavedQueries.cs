using Loupe.Application.Common;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Paging;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Queries;
using Mapster;
using MediatR;

namespace Loupe.Application.SavedQueries.Queries.ListSavedQueries;

/// <summary>
/// The organization's saved queries, without their SQL. Active ones unless <c>status=archived</c>;
/// <c>q</c> searches names and descriptions, <c>tags</c> keeps queries carrying every tag (any case),
/// <c>datasource_id</c> and <c>owner_id</c> narrow further, plus the created/updated ranges. Sorted
/// by <c>name</c>, <c>created_at</c> or <c>updated_at</c> (default <c>-updated_at</c>).
/// </summary>
[Authorize]
public sealed record ListSavedQueriesQuery(IReadOnlyDictionary<string, string?> Query) : IRequest<PagedResult<SavedQuerySummaryDto>>
{
    public const string DataSourceFilter = "datasource_id";
}

internal sealed class ListSavedQueriesQueryHandler(IReadStore store, IQueryExecutor executor, TypeAdapterConfig mapping)
    : IRequestHandler<ListSavedQueriesQuery, PagedResult<SavedQuerySummaryDto>>
{
    private const string DataSourceParameter = ListSavedQueriesQuery.DataSourceFilter;

    private static readonly SortWhitelist<SavedQuery> Sorts = SortWhitelist<SavedQuery>.For()
        .Field("name", q => q.Name)
        .Field("created_at", q => q.CreatedAt)
        .Field("updated_at", q => q.UpdatedAt)
        .TieBreaker(q => q.Id)
        .Default("-updated_at");

    private static readonly IReadOnlyList<string> Statuses = ItemStatuses.All;

    public async Task<PagedResult<SavedQuerySummaryDto>> Handle(ListSavedQueriesQuery request, CancellationToken cancellationToken)
    {
        var parameters = ListParameters.Parse(request.Query, Sorts, Statuses);
        var dataSourceId = ParseDataSource(request.Query);
        var tags = new ListFilter { Tags = [.. parameters.Filter.Tags.Select(QueryTags.NormalizeOne).Distinct(StringComparer.Ordinal)] };
        var rows = store.Query<SavedQuery>()
            .ApplyItemStatus(parameters.Filter, q => q.ArchivedAt)
            .ApplyText(parameters.Filter, q => q.Name, q => q.Description)
            .ApplyTags(tags, q => q.Tags)
            .ApplyOwner(parameters.Filter, q => q.OwnerId!.Value)
            .ApplyCreatedRange(parameters.Filter, q => q.CreatedAt)
            .ApplyUpdatedRange(parameters.Filter, q => q.UpdatedAt);
        if (dataSourceId is { } id)
        {
            rows = rows.Where(q => q.DataSourceId == id);
        }

        return await rows.ToPageAsync(parameters, page => page.ProjectToType<SavedQuerySummaryDto>(mapping), executor, cancellationToken)
            .ConfigureAwait(false);
    }

    private static Guid? ParseDataSource(IReadOnlyDictionary<string, string?> query)
    {
        if (!query.TryGetValue(DataSourceParameter, out var raw) || string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        return Guid.TryParseExact(raw.Trim(), "D", out var id)
            ? id
            : throw new ValidationFailedException(DataSourceParameter, "datasource_id must be a UUID, e.g. 0190f5c2-7b1e-7cc0-9a4e-5f1f0f6f2d3a.");
    }
}
