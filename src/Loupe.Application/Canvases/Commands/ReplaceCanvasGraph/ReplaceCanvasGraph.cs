using FluentValidation;
using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Canvases;
using Loupe.Domain.Organizations;
using MediatR;

namespace Loupe.Application.Canvases.Commands.ReplaceCanvasGraph;

/// <summary>
/// Replaces a canvas's nodes and edges together: the new graph must keep every rule and point only
/// at queries and visualizations of the organization, or nothing changes and one 400 names every
/// broken rule by its path. Both are written in one row, so no reader ever sees one without the
/// other. A stale <c>If-Match</c> is a 412; an archived canvas is a 409.
/// </summary>
[Authorize(MinimumRole = Role.Editor)]
public sealed record ReplaceCanvasGraphCommand(
    Guid Id,
    IReadOnlyList<CanvasNodeInput?>? Nodes,
    IReadOnlyList<CanvasEdgeInput?>? Edges,
    VersionPrecondition? IfMatch = null) : IRequest<Versioned<CanvasDto>>;

/// <summary>The body of PUT /canvases/{id}/graph: the whole new graph, <c>nodes</c> and <c>edges</c> (both required; <c>[]</c> empties).</summary>
public sealed record ReplaceCanvasGraphRequest(IReadOnlyList<CanvasNodeInput?>? Nodes, IReadOnlyList<CanvasEdgeInput?>? Edges)
{
    public ReplaceCanvasGraphCommand ToCommand(Guid id, VersionPrecondition? ifMatch) => new(id, Nodes, Edges, ifMatch);
}

internal sealed class ReplaceCanvasGraphCommandValidator : AbstractValidator<ReplaceCanvasGraphCommand>
{
    public ReplaceCanvasGraphCommandValidator()
    {
        RuleFor(c => c.Nodes).NotNull();
        RuleFor(c => c.Edges).NotNull();
        CanvasRules.GraphItems(this, c => c.Nodes, c => c.Edges);
    }
}

internal sealed class ReplaceCanvasGraphCommandHandler(
    ITenantScope tenant,
    IRepository<Canvas> canvases,
    IReadStore store,
    IQueryExecutor executor,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<ReplaceCanvasGraphCommand, Versioned<CanvasDto>>
{
    public async Task<Versioned<CanvasDto>> Handle(ReplaceCanvasGraphCommand request, CancellationToken cancellationToken)
    {
        var canvas = await canvases.FindAsync(request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Canvas", request.Id);
        request.IfMatch?.Check(canvas.RowVersion);
        canvas.EnsureActive();

        var (nodes, edges) = await CanvasInput.GraphAsync(request.Nodes, request.Edges, store, executor, cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        if (canvas.ReplaceGraph(nodes, edges, now))
        {
            audit.Record(AuditActions.CanvasGraphReplaced, new AuditTarget("canvas", canvas.Id));
            await CanvasSaves.SaveAsync(unitOfWork, request.IfMatch, cancellationToken).ConfigureAwait(false);
        }

        var windows = await CanvasWindows.AtAsync(now, tenant, store, executor, cancellationToken).ConfigureAwait(false);
        return new Versioned<CanvasDto>(CanvasDto.From(canvas, windows), canvas.RowVersion);
    }
}
