using System.Text.Json;
using FluentValidation;
using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Patching;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Results;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Organizations;
using Loupe.Domain.Visualizations;
using MediatR;

namespace Loupe.Application.Visualizations.Commands.UpdateVisualization;

/// <summary>
/// Changes a visualization; fields left out stay as they are. <c>type</c> and <c>options</c> are
/// checked together: a new type alone re-reads the current options as settings of that type (a line
/// chart becomes a bar chart as it is; a pie needs options of its own), new options alone are read as
/// settings of the current type, and the columns they name are checked against the query's latest
/// result. Renaming, describing or retagging never checks columns, so a visualization with stale
/// references can still be renamed. An archived visualization cannot be changed (409); a stale
/// <c>If-Match</c> is a 412.
/// </summary>
[Authorize(MinimumRole = Role.Editor)]
public sealed record UpdateVisualizationCommand(
    Guid Id,
    string? Name = null,
    string? Description = null,
    string? Type = null,
    JsonElement? Options = null,
    IReadOnlyList<string?>? Tags = null,
    VersionPrecondition? IfMatch = null,
    IReadOnlyList<string>? RequiredResets = null) : IRequest<Versioned<VisualizationDto>>;

/// <summary>
/// The body of PATCH /visualizations/{id}, a JSON Merge Patch: <c>null</c> resets <c>description</c>
/// (none) and <c>tags</c> (empty); <c>name</c>, <c>type</c> and <c>options</c> cannot be reset.
/// <c>options</c> is replaced whole, never merged key by key: the settings of a type are one value.
/// </summary>
public sealed class UpdateVisualizationRequest : MergePatchBody
{
    public string? Name { get; init => field = Sent(value); }

    public string? Description { get; init => field = Sent(value); }

    public string? Type { get; init => field = Sent(value); }

    public JsonElement? Options { get; init => field = Sent(value); }

    public IReadOnlyList<string?>? Tags { get; init => field = Sent(value); }

    /// <summary>The command, with a reset written as the value that means "the default" to it.</summary>
    public UpdateVisualizationCommand ToCommand(Guid id, VersionPrecondition? ifMatch) =>
        new(
            id,
            Name,
            IsReset(nameof(Description), Description) ? string.Empty : Description,
            Type,
            Options,
            IsReset(nameof(Tags), Tags) ? [] : Tags,
            ifMatch,
            RequiredReset(string.Empty, (nameof(Name), Name), (nameof(Type), Type), (nameof(Options), Options)));
}

internal sealed class UpdateVisualizationCommandValidator : AbstractValidator<UpdateVisualizationCommand>
{
    public UpdateVisualizationCommandValidator()
    {
        this.RefuseRequiredResets(c => c.RequiredResets);
        RuleFor(c => c.Name).NotEmpty().MaximumLength(Visualization.NameMaxLength).When(c => c.Name is not null);
        RuleFor(c => c.Description).MaximumLength(Visualization.DescriptionMaxLength);
        RuleFor(c => c.Type).NotEmpty().When(c => c.Type is not null);
        RuleFor(c => c)
            .Must(c => c.Name is not null || c.Description is not null || c.Type is not null || c.Options is not null || c.Tags is not null)
            .When(c => c.RequiredResets is not { Count: > 0 })
            .WithName("body").WithMessage("Give a name, description, type, options or tags to change.");
    }
}

internal sealed class UpdateVisualizationCommandHandler(
    IRepository<Visualization> visualizations,
    ILatestResultColumns latestResults,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<UpdateVisualizationCommand, Versioned<VisualizationDto>>
{
    public async Task<Versioned<VisualizationDto>> Handle(UpdateVisualizationCommand request, CancellationToken cancellationToken)
    {
        var visualization = await visualizations.FindAsync(request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Visualization", request.Id);
        request.IfMatch?.Check(visualization.RowVersion);
        visualization.EnsureActive();

        var input = new VisualizationInput();
        var resultColumns = await latestResults.OfAsync(visualization.QueryId, cancellationToken).ConfigureAwait(false);
        VisualizationOptions? options = null;
        if (request.Type is not null || request.Options is not null)
        {
            var type = request.Type is null ? visualization.Type : input.Type(request.Type);
            var document = request.Options ?? JsonSerializer.Deserialize<JsonElement>(visualization.Options.ToJson());
            options = type is { } known ? input.Options(known, document) : null;
            if (options is not null)
            {
                input.Columns(options, resultColumns);
            }
        }

        if (request.Tags is not null)
        {
            input.Tags(request.Tags);
        }

        input.ThrowIfAny();
        var now = clock.GetUtcNow();
        if (request.Name is not null)
        {
            visualization.Rename(request.Name, now);
        }

        if (request.Description is not null)
        {
            visualization.Describe(request.Description, now);
        }

        if (options is not null)
        {
            visualization.Reconfigure(options, now);
        }

        if (request.Tags is not null)
        {
            visualization.Retag(request.Tags, now);
        }

        audit.Record(AuditActions.VisualizationUpdated, new AuditTarget("visualization", visualization.Id));
        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return new Versioned<VisualizationDto>(VisualizationDto.From(visualization, resultColumns), visualization.RowVersion);
    }
}
