using Loupe.Application.Common.Connectors;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.DataSources;
using MediatR;

namespace Loupe.Application.DataSources.Queries.GetDataSourceSchema;

/// <summary>The data source's schemas, tables, views and columns; served from the cache unless <see cref="Refresh"/>.</summary>
[Authorize]
public sealed record GetDataSourceSchemaQuery(Guid Id, bool Refresh = false) : IRequest<DataSourceSchemaDto>;

/// <summary>A data source's schema, when it was read and whether this answer came from the cache.</summary>
public sealed record DataSourceSchemaDto(Guid DatasourceId, DateTimeOffset FetchedAt, bool FromCache, int TableCount, IReadOnlyList<SchemaInfo> Schemas);

internal sealed class GetDataSourceSchemaQueryHandler(
    IReadStore store,
    IQueryExecutor executor,
    IDataSourceConnectors connectors,
    ISecretProtector protector,
    ISchemaCache cache,
    TimeProvider clock) : IRequestHandler<GetDataSourceSchemaQuery, DataSourceSchemaDto>
{
    public async Task<DataSourceSchemaDto> Handle(GetDataSourceSchemaQuery request, CancellationToken cancellationToken)
    {
        var dataSource = await executor.FirstOrDefaultAsync(store.Query<DataSource>().Where(d => d.Id == request.Id), cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Data source", request.Id);
        if (!request.Refresh && cache.TryGet(dataSource.Id, dataSource.UpdatedAt, out var cached))
        {
            return new DataSourceSchemaDto(dataSource.Id, cached.FetchedAt, true, cached.Schema.TableCount, cached.Schema.Schemas);
        }

        ConnectionTarget target;
        try
        {
            target = dataSource.TargetOf(protector);
        }
        catch (SecretProtectionException)
        {
            throw DataSourceTargets.UnreadablePassword();
        }

        var schema = await connectors.ConnectorFor(dataSource.Type).ReadSchemaAsync(target, cancellationToken).ConfigureAwait(false);
        var fresh = new CachedSchema(schema, clock.GetUtcNow());
        cache.Store(dataSource.Id, dataSource.UpdatedAt, fresh);
        return new DataSourceSchemaDto(dataSource.Id, fresh.FetchedAt, false, schema.TableCount, schema.Schemas);
    }
}
