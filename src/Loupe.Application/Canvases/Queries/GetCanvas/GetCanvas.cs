using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Canvases;
using MediatR;

namespace Loupe.Application.Canvases.Queries.GetCanvas;

/// <summary>A canvas, archived or not, with its nodes and edges.</summary>
[Authorize]
public sealed record GetCanvasQuery(Guid Id) : IRequest<Versioned<CanvasDto>>;

internal sealed class GetCanvasQueryHandler(IReadStore store, IQueryExecutor executor)
    : IRequestHandler<GetCanvasQuery, Versioned<CanvasDto>>
{
    public async Task<Versioned<CanvasDto>> Handle(GetCanvasQuery request, CancellationToken cancellationToken)
    {
        var canvas = await executor.FirstOrDefaultAsync(store.Query<Canvas>().Where(c => c.Id == request.Id), cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Canvas", request.Id);
        return new Versioned<CanvasDto>(CanvasDto.From(canvas), canvas.RowVersion);
    }
}
