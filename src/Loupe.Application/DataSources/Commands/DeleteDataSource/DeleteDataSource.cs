using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Connectors;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Application.SavedQueries;
using Loupe.Domain.Audit;
using Loupe.Domain.DataSources;
using Loupe.Domain.Organizations;
using Loupe.Domain.Queries;
using MediatR;

namespace Loupe.Application.DataSources.Commands.DeleteDataSource;

/// <summary>
/// Deletes a data source that no saved query uses (archived ones included): saved SQL is never lost
/// with its data source. Otherwise a 409 says how many queries to move first. A stale <c>If-Match</c> is a 412.
/// </summary>
[Authorize(MinimumRole = Role.Admin)]
public sealed record DeleteDataSourceCommand(Guid Id, VersionPrecondition? IfMatch = null) : IRequest<Unit>;

internal sealed class DeleteDataSourceCommandHandler(
    IRepository<DataSource> dataSources,
    IRepository<SavedQuery> queries,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    IDataSourceConnectors connectors) : IRequestHandler<DeleteDataSourceCommand, Unit>
{
    public async Task<Unit> Handle(DeleteDataSourceCommand request, CancellationToken cancellationToken)
    {
        var dataSource = await dataSources.FindAsync(request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Data source", request.Id);
        request.IfMatch?.Check(dataSource.RowVersion);
        var used = await queries.CountAsync(new SavedQueriesOnDataSource(dataSource.Id), cancellationToken).ConfigureAwait(false);
        var archived = used == 0 ? 0 : await queries.CountAsync(new SavedQueriesOnDataSource(dataSource.Id, archivedOnly: true), cancellationToken).ConfigureAwait(false);
        DataSource.EnsureCanBeDeleted(used, archived);

        dataSources.Remove(dataSource);
        audit.Record(AuditActions.DataSourceDeleted, new AuditTarget("datasource", dataSource.Id));
        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);

        // Its pool on this node goes at once; other nodes' idle connections expire on their own.
        await connectors.ForgetAsync(dataSource.Id).ConfigureAwait(false);
        return Unit.Value;
    }
}
