using FluentValidation;
using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Patching;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Canvases;
using Loupe.Domain.Organizations;
using MediatR;

namespace Loupe.Application.Canvases.Commands.UpdateCanvas;

/// <summary>
/// Changes a canvas's name, description or time preset; fields left out stay as they are.
/// <c>description: ""</c> removes the description. The nodes and edges change only through a replace
/// of the graph. An archived canvas cannot be changed (409); a stale <c>If-Match</c> is a 412.
/// </summary>
[Authorize(MinimumRole = Role.Editor)]
public sealed record UpdateCanvasCommand(
    Guid Id,
    string? Name = null,
    string? Description = null,
    TimePresetInput? TimePreset = null,
    VersionPrecondition? IfMatch = null,
    IReadOnlyList<string>? RequiredResets = null) : IRequest<Versioned<CanvasDto>>;

/// <summary>
/// The body of PATCH /canvases/{id}, a JSON Merge Patch: <c>null</c> resets <c>description</c> (none);
/// <c>name</c> and <c>time_preset</c> cannot be reset. A <c>time_preset</c> sent is the whole new
/// preset (its kind with its window), not merged into the current one.
/// </summary>
public sealed class UpdateCanvasRequest : MergePatchBody
{
    public string? Name { get; init => field = Sent(value); }

    public string? Description { get; init => field = Sent(value); }

    public TimePresetInput? TimePreset { get; init => field = Sent(value); }

    /// <summary>The command, with a reset written as the value that means "the default" to it.</summary>
    public UpdateCanvasCommand ToCommand(Guid id, VersionPrecondition? ifMatch) =>
        new(
            id,
            Name,
            IsReset(nameof(Description), Description) ? string.Empty : Description,
            TimePreset,
            ifMatch,
            RequiredReset(string.Empty, (nameof(Name), Name), (nameof(TimePreset), TimePreset)));
}

internal sealed class UpdateCanvasCommandValidator : AbstractValidator<UpdateCanvasCommand>
{
    public UpdateCanvasCommandValidator()
    {
        this.RefuseRequiredResets(c => c.RequiredResets);
        RuleFor(c => c.Name).NotEmpty().MaximumLength(Canvas.NameMaxLength).When(c => c.Name is not null);
        RuleFor(c => c.Description).MaximumLength(Canvas.DescriptionMaxLength);
        CanvasRules.TimePreset(this, c => c.TimePreset);
        RuleFor(c => c)
            .Must(c => c.Name is not null || c.Description is not null || c.TimePreset is not null || c.RequiredResets is { Count: > 0 })
            .WithName("body").WithMessage("Give a name, description or time_preset to change (the graph is replaced with PUT /canvases/{id}/graph).");
    }
}

internal sealed class UpdateCanvasCommandHandler(
    ITenantScope tenant,
    IRepository<Canvas> canvases,
    IReadStore store,
    IQueryExecutor executor,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<UpdateCanvasCommand, Versioned<CanvasDto>>
{
    public async Task<Versioned<CanvasDto>> Handle(UpdateCanvasCommand request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var canvas = await canvases.FindAsync(request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Canvas", request.Id);
        request.IfMatch?.Check(canvas.RowVersion);
        canvas.EnsureActive();

        var preset = request.TimePreset is null ? null : CanvasInput.TimePreset(request.TimePreset);
        if (request.Name is not null)
        {
            canvas.Rename(request.Name, now);
        }

        if (request.Description is not null)
        {
            canvas.Describe(request.Description, now);
        }

        if (preset is not null)
        {
            canvas.ChangeTimePreset(preset, now);
        }

        audit.Record(AuditActions.CanvasUpdated, new AuditTarget("canvas", canvas.Id));
        await CanvasSaves.SaveAsync(unitOfWork, request.IfMatch, cancellationToken).ConfigureAwait(false);
        var windows = await CanvasWindows.AtAsync(now, tenant, store, executor, cancellationToken).ConfigureAwait(false);
        return new Versioned<CanvasDto>(CanvasDto.From(canvas, windows), canvas.RowVersion);
    }
}
