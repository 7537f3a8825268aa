using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Dashboards;
using Loupe.Domain.Organizations;
using MediatR;

namespace Loupe.Application.Dashboards.Commands.RevokeDashboardShare;

/// <summary>
/// Revokes a share link of a dashboard (editors, signed in): from the next request on, its token
/// shows nothing. Revoking a revoked link answers the same and records nothing more.
/// </summary>
[Authorize(MinimumRole = Role.Editor, SignedInOnly = true)]
public sealed record RevokeDashboardShareCommand(Guid DashboardId, Guid ShareId) : IRequest<Unit>;

internal sealed class RevokeDashboardShareCommandHandler(
    IRepository<DashboardShare> shares,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<RevokeDashboardShareCommand, Unit>
{
    public async Task<Unit> Handle(RevokeDashboardShareCommand request, CancellationToken cancellationToken)
    {
        var share = await shares.FindAsync(request.ShareId, cancellationToken).ConfigureAwait(false);
        if (share is null || share.DashboardId != request.DashboardId)
        {
            throw new NotFoundException("Dashboard share", request.ShareId);
        }

        if (share.Revoke(clock.GetUtcNow()))
        {
            audit.Record(
                AuditActions.DashboardShareRevoked,
                new AuditTarget("dashboard_share", share.Id),
                details: new Dictionary<string, string>(StringComparer.Ordinal) { ["dashboard_id"] = share.DashboardId.ToString() });
        }

        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Unit.Value;
    }
}
