using Loupe.Application.Common.Archiving;
using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Dashboards;
using Loupe.Domain.Organizations;
using MediatR;

namespace Loupe.Application.Dashboards.Commands.ArchiveDashboard;

/// <summary>
/// Archives (soft-deletes) a dashboard: hidden from lists, kept with its versions, restorable.
/// Requires <c>If-Match</c>; archiving it again changes nothing.
/// </summary>
[Authorize(MinimumRole = Role.Editor)]
public sealed record ArchiveDashboardCommand(Guid Id, VersionPrecondition? IfMatch = null) : IRequest<Unit>;

internal sealed class ArchiveDashboardCommandHandler(
    IRepository<Dashboard> dashboards, ItemArchival archival)
    : IRequestHandler<ArchiveDashboardCommand, Unit>
{
    public async Task<Unit> Handle(ArchiveDashboardCommand request, CancellationToken cancellationToken)
    {
        var dashboard = await dashboards.FindAsync(request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Dashboard", request.Id);
        VersionPrecondition.Require(request.IfMatch, dashboard.RowVersion, dashboard.LatestVersion);
        await archival.ArchiveAsync(dashboard, AuditActions.DashboardArchived, new AuditTarget("dashboard", dashboard.Id), cancellationToken).ConfigureAwait(false);

        return Unit.Value;
    }
}
