using Loupe.Application.Common.Archiving;
using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Alerts;
using Loupe.Domain.Audit;
using Loupe.Domain.Organizations;
using MediatR;

namespace Loupe.Application.Alerts.Commands.RestoreAlert;

/// <summary>Brings an archived alert back, as it was; it is evaluated again from the query's next run. Restoring an active one changes nothing.</summary>
[Authorize(MinimumRole = Role.Editor)]
public sealed record RestoreAlertCommand(Guid Id, VersionPrecondition? IfMatch = null) : IRequest<Versioned<AlertDto>>;

internal sealed class RestoreAlertCommandHandler(IRepository<Alert> alerts, ItemArchival archival)
    : IRequestHandler<RestoreAlertCommand, Versioned<AlertDto>>
{
    public async Task<Versioned<AlertDto>> Handle(RestoreAlertCommand request, CancellationToken cancellationToken)
    {
        var alert = await alerts.FindAsync(request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Alert", request.Id);
        request.IfMatch?.Check(alert.RowVersion);
        await archival.RestoreAsync(alert, AuditActions.AlertRestored, new AuditTarget("alert", alert.Id), cancellationToken).ConfigureAwait(false);

        return new Versioned<AlertDto>(AlertDto.From(alert), alert.RowVersion);
    }
}
