using Loupe.Application.Common.Archiving;
using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Alerts;
using Loupe.Domain.Audit;
using Loupe.Domain.Organizations;
using MediatR;

namespace Loupe.Application.Alerts.Commands.ArchiveAlert;

/// <summary>Archives (soft-deletes) an alert: hidden from lists, no longer evaluated, kept whole, restorable. Archiving it again changes nothing.</summary>
[Authorize(MinimumRole = Role.Editor)]
public sealed record ArchiveAlertCommand(Guid Id, VersionPrecondition? IfMatch = null) : IRequest<Unit>;

internal sealed class ArchiveAlertCommandHandler(IRepository<Alert> alerts, ItemArchival archival)
    : IRequestHandler<ArchiveAlertCommand, Unit>
{
    public async Task<Unit> Handle(ArchiveAlertCommand request, CancellationToken cancellationToken)
    {
        var alert = await alerts.FindAsync(request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Alert", request.Id);
        request.IfMatch?.Check(alert.RowVersion);
        await archival.ArchiveAsync(alert, AuditActions.AlertArchived, new AuditTarget("alert", alert.Id), cancellationToken).ConfigureAwait(false);

        return Unit.Value;
    }
}
