using Loupe.Application.Common.Archiving;
using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Dashboards;
using Loupe.Domain.Organizations;
using MediatR;

namespace Loupe.Application.Dashboards.Commands.RestoreDashboard;

/// <summary>Brings an archived dashboard back into lists; requires <c>If-Match</c>; restoring an active dashboard changes nothing.</summary>
[Authorize(MinimumRole = Role.Editor)]
public sealed record RestoreDashboardCommand(Guid Id, VersionPrecondition? IfMatch = null) : IRequest<Versioned<DashboardDto>>;

internal sealed class RestoreDashboardCommandHandler(
    IRepository<Dashboard> dashboards, IMarkdownRenderer markdown, ItemArchival archival)
    : IRequestHandler<RestoreDashboardCommand, Versioned<DashboardDto>>
{
    public async Task<Versioned<DashboardDto>> Handle(RestoreDashboardCommand request, CancellationToken cancellationToken)
    {
        var dashboard = await dashboards.FindAsync(request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Dashboard", request.Id);
        VersionPrecondition.Require(request.IfMatch, dashboard.RowVersion, dashboard.LatestVersion);
        await archival.RestoreAsync(dashboard, AuditActions.DashboardRestored, new AuditTarget("dashboard", dashboard.Id), cancellationToken).ConfigureAwait(false);

        return new Versioned<DashboardDto>(DashboardDto.From(dashboard, markdown), dashboard.RowVersion);
    }
}
