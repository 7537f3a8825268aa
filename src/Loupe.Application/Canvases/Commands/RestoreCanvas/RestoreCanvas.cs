using Loupe.Application.Common.Archiving;
using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Canvases;
using Loupe.Domain.Organizations;
using MediatR;

namespace Loupe.Application.Canvases.Commands.RestoreCanvas;

/// <summary>Brings an archived canvas back into lists, graph and all; restoring an active canvas changes nothing.</summary>
[Authorize(MinimumRole = Role.Editor)]
public sealed record RestoreCanvasCommand(Guid Id, VersionPrecondition? IfMatch = null) : IRequest<Versioned<CanvasDto>>;

internal sealed class RestoreCanvasCommandHandler(
    ITenantScope tenant, IRepository<Canvas> canvases, ItemArchival archival, IReadStore store, IQueryExecutor executor, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<RestoreCanvasCommand, Versioned<CanvasDto>>
{
    public async Task<Versioned<CanvasDto>> Handle(RestoreCanvasCommand request, CancellationToken cancellationToken)
    {
        var canvas = await canvases.FindAsync(request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Canvas", request.Id);
        request.IfMatch?.Check(canvas.RowVersion);
        await archival.RestoreAsync(
            canvas, AuditActions.CanvasRestored, new AuditTarget("canvas", canvas.Id), cancellationToken, ct => CanvasSaves.SaveAsync(unitOfWork, request.IfMatch, ct))
            .ConfigureAwait(false);

        var windows = await CanvasWindows.AtAsync(clock.GetUtcNow(), tenant, store, executor, cancellationToken).ConfigureAwait(false);
        return new Versioned<CanvasDto>(CanvasDto.From(canvas, windows), canvas.RowVersion);
    }
}
