using Loupe.Application.Common.Paging;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Queries;
using MediatR;

namespace Loupe.Application.Tags.Queries.ListTags;

/// <summary>
/// The organization's tags of one kind with how many active items carry each, most used first (then
/// by name), for a tag picker or filter. <c>kind</c> is <c>query</c> (saved queries), the only kind
/// so far; archived queries are not counted. Paged and sorted like every list (page, per_page,
/// sort by <c>count</c> or <c>name</c>).
/// </summary>
[Authorize]
public sealed record ListTagsQuery(IReadOnlyDictionary<string, string?> Query) : IRequest<PagedResult<TagDto>>
{
    public const string KindParameter = "kind";
    public const string QueryKind = "query";
}

/// <summary>A tag (as normalized: lower-case) and how many items carry it.</summary>
public sealed record TagDto(string Name, int Count);

internal sealed class ListTagsQueryHandler(IReadStore store, IQueryExecutor executor) : IRequestHandler<ListTagsQuery, PagedResult<TagDto>>
{
    private static readonly SortWhitelist<TagDto> Sorts = SortWhitelist<TagDto>.For()
        .Field("count", t => t.Count)
        .Field("name", t => t.Name)
        .TieBreaker("name")
        .Default("-count");

    public async Task<PagedResult<TagDto>> Handle(ListTagsQuery request, CancellationToken cancellationToken)
    {
        var errors = new QueryParameterErrors();
        var parameters = ListParameters.Parse(request.Query.Where(p => p.Key != ListTagsQuery.KindParameter).ToDictionary(), Sorts);
        var kind = QueryParameterErrors.ValueOf(request.Query, ListTagsQuery.KindParameter) ?? ListTagsQuery.QueryKind;
        if (kind != ListTagsQuery.QueryKind)
        {
            errors.Add(ListTagsQuery.KindParameter, $"kind must be '{ListTagsQuery.QueryKind}' (the only kind of tag so far).");
        }

        errors.ThrowIfAny();

        // Row-level security and the tenant filter keep this to the caller's organization. The tag
        // arrays are read and counted here: a query has at most QueryTags.MaxTags of them.
        var tagLists = await executor.ToListAsync(
            store.Query<SavedQuery>().Where(q => q.ArchivedAt == null).Select(q => q.Tags), cancellationToken).ConfigureAwait(false);
        return tagLists
            .SelectMany(list => list.Distinct(StringComparer.Ordinal))
            .GroupBy(tag => tag, StringComparer.Ordinal)
            .Select(group => new TagDto(group.Key, group.Count()))
            .ToPage(parameters);
    }
}
