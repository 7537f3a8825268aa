using Loupe.Application.Common;
using Loupe.Application.Common.Paging;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Results;
using Loupe.Application.Common.Security;
using Loupe.Domain.Queries;
using Loupe.Domain.Visualizations;
using MediatR;

namespace Loupe.Application.Visualizations.Queries.ListVisualizations;

/// <summary>
/// The organization's visualizations, each with its options and warnings. Active ones unless
/// <c>status=archived</c> (then archived ones only); <c>query_id</c>, <c>type</c>, <c>tags</c> (every one,
/// any case), <c>owner_id</c>, <c>q</c> (name or description) and the created/updated ranges narrow
/// further. Sorted by <c>name</c>, <c>created_at</c> or <c>updated_at</c> (default <c>-updated_at</c>).
/// The latest result columns of the page's queries are read in one statement, whatever the page size.
/// </summary>
[Authorize]
public sealed record ListVisualizationsQuery(IReadOnlyDictionary<string, string?> Query) : IRequest<PagedResult<VisualizationDto>>
{
    public const string QueryFilter = "query_id";
    public const string TypeFilter = ListQueryParameters.Type;
}

internal sealed class ListVisualizationsQueryHandler(IReadStore store, IQueryExecutor executor, ILatestResultColumns latestResults)
    : IRequestHandler<ListVisualizationsQuery, PagedResult<VisualizationDto>>
{
    private static readonly SortWhitelist<Visualization> Sorts = SortWhitelist<Visualization>.For()
        .Field("name", v => v.Name)
        .Field("created_at", v => v.CreatedAt)
        .Field("updated_at", v => v.UpdatedAt)
        .TieBreaker(v => v.Id)
        .Default("-updated_at");

    /// <summary>The values of the <c>status</c> filter (documented from here).</summary>
    private static readonly IReadOnlyList<string> Statuses = ItemStatuses.All;

    /// <summary>The values of the <c>type</c> filter (documented from here).</summary>
    private static readonly IReadOnlyList<string> Types = VisualizationTypes.Names;

    public async Task<PagedResult<VisualizationDto>> Handle(ListVisualizationsQuery request, CancellationToken cancellationToken)
    {
        var parameters = ListParameters.Parse(
            request.Query,
            Sorts,
            Statuses,
            [ListVisualizationsQuery.QueryFilter],
            choiceFilters: new Dictionary<string, IReadOnlyList<string>> { [ListVisualizationsQuery.TypeFilter] = Types });
        var tags = new ListFilter { Tags = [.. parameters.Filter.Tags.Select(QueryTags.NormalizeOne).Distinct(StringComparer.Ordinal)] };
        var rows = store.Query<Visualization>()
            .ApplyItemStatus(parameters.Filter, v => v.ArchivedAt)
            .ApplyText(parameters.Filter, v => v.Name, v => v.Description)
            .ApplyTags(tags, v => v.Tags)
            .ApplyOwner(parameters.Filter, v => v.OwnerId!.Value)
            .ApplyCreatedRange(parameters.Filter, v => v.CreatedAt)
            .ApplyUpdatedRange(parameters.Filter, v => v.UpdatedAt);
        if (parameters.Filter.IdOf(ListVisualizationsQuery.QueryFilter) is { } queryId)
        {
            rows = rows.Where(v => v.QueryId == queryId);
        }

        if (parameters.Filter.ChoiceOf(ListVisualizationsQuery.TypeFilter) is { } typeName && VisualizationTypes.TryParse(typeName, out var type))
        {
            rows = rows.Where(v => v.Type == type);
        }

        var page = await rows.ToPageAsync(parameters, executor, cancellationToken).ConfigureAwait(false);
        var columns = await latestResults.OfQueriesAsync([.. page.Data.Select(v => v.QueryId).Distinct()], cancellationToken).ConfigureAwait(false);
        return page.Map(v => VisualizationDto.From(v, columns.GetValueOrDefault(v.QueryId)));
    }
}
