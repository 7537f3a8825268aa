using Loupe.Application.Common.Archiving;
using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Results;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Organizations;
using Loupe.Domain.Visualizations;
using MediatR;

namespace Loupe.Application.Visualizations.Commands.RestoreVisualization;

/// <summary>
/// Brings an archived visualization back into lists, as it was; restoring an active one changes
/// nothing. Its settings are not checked again: stale column references come back as warnings.
/// </summary>
[Authorize(MinimumRole = Role.Editor)]
public sealed record RestoreVisualizationCommand(Guid Id, VersionPrecondition? IfMatch = null) : IRequest<Versioned<VisualizationDto>>;

internal sealed class RestoreVisualizationCommandHandler(
    IRepository<Visualization> visualizations, ILatestResultColumns latestResults, ItemArchival archival)
    : IRequestHandler<RestoreVisualizationCommand, Versioned<VisualizationDto>>
{
    public async Task<Versioned<VisualizationDto>> Handle(RestoreVisualizationCommand request, CancellationToken cancellationToken)
    {
        var visualization = await visualizations.FindAsync(request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Visualization", request.Id);
        request.IfMatch?.Check(visualization.RowVersion);
        await archival.RestoreAsync(visualization, AuditActions.VisualizationRestored, new AuditTarget("visualization", visualization.Id), cancellationToken)
            .ConfigureAwait(false);

        var resultColumns = await latestResults.OfAsync(visualization.QueryId, cancellationToken).ConfigureAwait(false);
        return new Versioned<VisualizationDto>(VisualizationDto.From(visualization, resultColumns), visualization.RowVersion);
    }
}
