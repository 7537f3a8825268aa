using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.DataSources;
using Mapster;
using MediatR;

namespace Loupe.Application.DataSources.Queries.GetDataSource;

[Authorize]
public sealed record GetDataSourceQuery(Guid Id) : IRequest<Versioned<DataSourceDto>>;

internal sealed class GetDataSourceQueryHandler(IReadStore store, IQueryExecutor executor, TypeAdapterConfig mapping)
    : IRequestHandler<GetDataSourceQuery, Versioned<DataSourceDto>>
{
    public async Task<Versioned<DataSourceDto>> Handle(GetDataSourceQuery request, CancellationToken cancellationToken)
    {
        var dataSource = await executor.FirstOrDefaultAsync(store.Query<DataSource>().Where(d => d.Id == request.Id), cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Data source", request.Id);
        return dataSource.Adapt<Versioned<DataSourceDto>>(mapping);
    }
}
