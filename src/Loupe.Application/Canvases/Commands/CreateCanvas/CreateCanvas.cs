using FluentValidation;
using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Canvases;
using Loupe.Domain.Organizations;
using MediatR;

namespace Loupe.Application.Canvases.Commands.CreateCanvas;

/// <summary>
/// Creates a canvas, empty or with a first graph (checked as a replace of the graph is: every rule,
/// every <c>ref_id</c> in the organization). Without <c>time_preset</c> it shows the last 24 hours.
/// </summary>
[Authorize(MinimumRole = Role.Editor)]
public sealed record CreateCanvasCommand(
    string? Name,
    string? Description = null,
    TimePresetInput? TimePreset = null,
    IReadOnlyList<CanvasNodeInput?>? Nodes = null,
    IReadOnlyList<CanvasEdgeInput?>? Edges = null) : IRequest<Versioned<CanvasDto>>;

internal sealed class CreateCanvasCommandValidator : AbstractValidator<CreateCanvasCommand>
{
    public CreateCanvasCommandValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(Canvas.NameMaxLength);
        RuleFor(c => c.Description).MaximumLength(Canvas.DescriptionMaxLength);
        CanvasRules.TimePreset(this, c => c.TimePreset);
        CanvasRules.GraphItems(this, c => c.Nodes, c => c.Edges);
    }
}

internal sealed class CreateCanvasCommandHandler(
    ITenantScope tenant,
    IRepository<Canvas> canvases,
    IReadStore store,
    IQueryExecutor executor,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<CreateCanvasCommand, Versioned<CanvasDto>>
{
    /// <summary>What a canvas shows when the client does not say.</summary>
    public static readonly CanvasTimePreset DefaultTimePreset = CanvasTimePreset.Relative(TimePresetKind.Last24Hours);

    public async Task<Versioned<CanvasDto>> Handle(CreateCanvasCommand request, CancellationToken cancellationToken)
    {
        var organizationId = tenant.RequiredOrganizationId();
        var preset = request.TimePreset is null ? DefaultTimePreset : CanvasInput.TimePreset(request.TimePreset);
        var (nodes, edges) = await CanvasInput.GraphAsync(request.Nodes, request.Edges, store, executor, cancellationToken).ConfigureAwait(false);

        var now = clock.GetUtcNow();
        var canvas = Canvas.Create(Guid.CreateVersion7(now), organizationId, request.Name!, request.Description, preset, now);
        canvas.ReplaceGraph(nodes, edges, now);
        canvases.Add(canvas);
        audit.Record(AuditActions.CanvasCreated, new AuditTarget("canvas", canvas.Id));
        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        var windows = await CanvasWindows.AtAsync(now, tenant, store, executor, cancellationToken).ConfigureAwait(false);
        return new Versioned<CanvasDto>(CanvasDto.From(canvas, windows), canvas.RowVersion);
    }
}
