using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Canvases;
using MediatR;

namespace Loupe.Application.Canvases.Queries.GetCanvas;

/// <summary>A canvas, archived or not, with its nodes and edges, and its time preset resolved now in the organization's zone.</summary>
[Authorize]
public sealed record GetCanvasQuery(Guid Id) : IRequest<Versioned<CanvasDto>>;

internal sealed class GetCanvasQueryHandler(ITenantScope tenant, IReadStore store, IQueryExecutor executor, TimeProvider clock)
    : IRequestHandler<GetCanvasQuery, Versioned<CanvasDto>>
{
    public async Task<Versioned<CanvasDto>> Handle(GetCanvasQuery request, CancellationToken cancellationToken)
    {
        var canvas = await executor.FirstOrDefaultAsync(store.Query<Canvas>().Where(c => c.Id == request.Id), cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Canvas", request.Id);
        var windows = await CanvasWindows.AtAsync(clock.GetUtcNow(), tenant, store, executor, cancellationToken).ConfigureAwait(false);
        return new Versioned<CanvasDto>(CanvasDto.From(canvas, windows), canvas.RowVersion);
    }
}
