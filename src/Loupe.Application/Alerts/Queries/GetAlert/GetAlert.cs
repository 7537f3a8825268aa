using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Alerts;
using MediatR;

namespace Loupe.Application.Alerts.Queries.GetAlert;

/// <summary>An alert, archived or not, with its state.</summary>
[Authorize]
public sealed record GetAlertQuery(Guid Id) : IRequest<Versioned<AlertDto>>;

internal sealed class GetAlertQueryHandler(IReadStore store, IQueryExecutor executor) : IRequestHandler<GetAlertQuery, Versioned<AlertDto>>
{
    public async Task<Versioned<AlertDto>> Handle(GetAlertQuery request, CancellationToken cancellationToken)
    {
        var alert = await executor.FirstOrDefaultAsync(store.Query<Alert>().Where(a => a.Id == request.Id), cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Alert", request.Id);
        return new Versioned<AlertDto>(AlertDto.From(alert), alert.RowVersion);
    }
}
