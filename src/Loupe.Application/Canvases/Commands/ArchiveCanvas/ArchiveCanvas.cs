using Loupe.Application.Common.Archiving;
using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Canvases;
using Loupe.Domain.Organizations;
using MediatR;

namespace Loupe.Application.Canvases.Commands.ArchiveCanvas;

/// <summary>Archives (soft-deletes) a canvas: hidden from lists, kept whole, restorable. Archiving it again changes nothing.</summary>
[Authorize(MinimumRole = Role.Editor)]
public sealed record ArchiveCanvasCommand(Guid Id, VersionPrecondition? IfMatch = null) : IRequest<Unit>;

internal sealed class ArchiveCanvasCommandHandler(
    IRepository<Canvas> canvases, ItemArchival archival, IUnitOfWork unitOfWork)
    : IRequestHandler<ArchiveCanvasCommand, Unit>
{
    public async Task<Unit> Handle(ArchiveCanvasCommand request, CancellationToken cancellationToken)
    {
        var canvas = await canvases.FindAsync(request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Canvas", request.Id);
        request.IfMatch?.Check(canvas.RowVersion);
        await archival.ArchiveAsync(
            canvas, AuditActions.CanvasArchived, new AuditTarget("canvas", canvas.Id), cancellationToken, ct => CanvasSaves.SaveAsync(unitOfWork, request.IfMatch, ct))
            .ConfigureAwait(false);

        return Unit.Value;
    }
}
