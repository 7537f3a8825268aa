using Loupe.Application.Common.Connectors;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.DataSources;
using Loupe.Domain.Organizations;
using MediatR;

namespace Loupe.Application.DataSources.Commands.DeleteDataSource;

[Authorize(MinimumRole = Role.Admin)]
public sealed record DeleteDataSourceCommand(Guid Id) : IRequest<Unit>;

internal sealed class DeleteDataSourceCommandHandler(
    IRepository<DataSource> dataSources,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    IDataSourceConnectors connectors) : IRequestHandler<DeleteDataSourceCommand, Unit>
{
    public async Task<Unit> Handle(DeleteDataSourceCommand request, CancellationToken cancellationToken)
    {
        var dataSource = await dataSources.FindAsync(request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Data source", request.Id);
        dataSources.Remove(dataSource);
        audit.Record(AuditActions.DataSourceDeleted, new AuditTarget("data_source", dataSource.Id));
        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);

        // Its pool on this node goes at once; other nodes' idle connections expire on their own.
        await connectors.ForgetAsync(dataSource.Id).ConfigureAwait(false);
        return Unit.Value;
    }
}
