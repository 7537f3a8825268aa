using Loupe.Application.Common.Paging;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.DataSources;
using Mapster;
using MediatR;

namespace Loupe.Application.DataSources.Queries.ListDataSources;

/// <summary>The organization's data sources; <c>q</c> searches names. Passwords are never listed.</summary>
[Authorize]
public sealed record ListDataSourcesQuery(IReadOnlyDictionary<string, string?> Query) : IRequest<PagedResult<DataSourceDto>>;

internal sealed class ListDataSourcesQueryHandler(IReadStore store, IQueryExecutor executor, TypeAdapterConfig mapping)
    : IRequestHandler<ListDataSourcesQuery, PagedResult<DataSourceDto>>
{
    private static readonly SortWhitelist<DataSource> Sorts = SortWhitelist<DataSource>.For()
        .Field("name", d => d.Name)
        .Field("created_at", d => d.CreatedAt)
        .Field("updated_at", d => d.UpdatedAt)
        .TieBreaker(d => d.Id)
        .Default("name");

    public async Task<PagedResult<DataSourceDto>> Handle(ListDataSourcesQuery request, CancellationToken cancellationToken)
    {
        var parameters = ListParameters.Parse(request.Query, Sorts);
        var page = await store.Query<DataSource>()
            .ApplyText(parameters.Filter, d => d.Name)
            .ApplyCreatedRange(parameters.Filter, d => d.CreatedAt)
            .ApplyUpdatedRange(parameters.Filter, d => d.UpdatedAt)
            .ToPageAsync(parameters, executor, cancellationToken)
            .ConfigureAwait(false);
        return page.Map(dataSource => dataSource.Adapt<DataSourceDto>(mapping));
    }
}
