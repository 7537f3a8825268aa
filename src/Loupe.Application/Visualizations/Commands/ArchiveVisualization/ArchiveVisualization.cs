using Loupe.Application.Common.Archiving;
using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Application.Dashboards;
using Loupe.Domain.Audit;
using Loupe.Domain.Dashboards;
using Loupe.Domain.Organizations;
using Loupe.Domain.Visualizations;
using MediatR;

namespace Loupe.Application.Visualizations.Commands.ArchiveVisualization;

/// <summary>
/// Archives (soft-deletes) a visualization: hidden from lists, kept whole, restorable. Archiving it
/// again changes nothing. Refused while active dashboards show it, unless <paramref name="Force"/> (<see cref="DashboardUse"/>).
/// </summary>
[Authorize(MinimumRole = Role.Editor)]
public sealed record ArchiveVisualizationCommand(Guid Id, VersionPrecondition? IfMatch = null, bool Force = false) : IRequest<Unit>;

internal sealed class ArchiveVisualizationCommandHandler(
    IRepository<Visualization> visualizations, IDashboardUsage dashboards, ItemArchival archival)
    : IRequestHandler<ArchiveVisualizationCommand, Unit>
{
    public async Task<Unit> Handle(ArchiveVisualizationCommand request, CancellationToken cancellationToken)
    {
        var visualization = await visualizations.FindAsync(request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Visualization", request.Id);
        request.IfMatch?.Check(visualization.RowVersion);
        if (visualization.IsArchived)
        {
            return Unit.Value;
        }

        DashboardUse.EnsureMayArchive(
            VisualizationErrors.InUse, await dashboards.ShowingVisualizationAsync(visualization.Id, cancellationToken).ConfigureAwait(false), request.Force);
        await archival.ArchiveAsync(visualization, AuditActions.VisualizationArchived, new AuditTarget("visualization", visualization.Id), cancellationToken)
            .ConfigureAwait(false);

        return Unit.Value;
    }
}
