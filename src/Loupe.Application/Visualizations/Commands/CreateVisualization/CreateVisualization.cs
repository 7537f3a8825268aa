using System.Text.Json;
using FluentValidation;
using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Results;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Organizations;
using Loupe.Domain.Queries;
using Loupe.Domain.Visualizations;
using MediatR;

namespace Loupe.Application.Visualizations.Commands.CreateVisualization;

/// <summary>
/// Draws a saved query of the caller's organization as a visualization owned by the caller.
/// <c>options</c> are the settings of <c>type</c>, at most 64 KiB of JSON, every key known to the type;
/// when the query has a latest result, every column they name must be one of its columns. Every broken
/// setting is reported at once, under its path. A query that is archived is a 409.
/// </summary>
[Authorize(MinimumRole = Role.Editor)]
public sealed record CreateVisualizationCommand(
    Guid QueryId,
    string? Name,
    string? Type,
    JsonElement? Options,
    string? Description = null,
    IReadOnlyList<string?>? Tags = null) : IRequest<Versioned<VisualizationDto>>;

internal sealed class CreateVisualizationCommandValidator : AbstractValidator<CreateVisualizationCommand>
{
    public CreateVisualizationCommandValidator()
    {
        RuleFor(c => c.QueryId).NotEmpty();
        RuleFor(c => c.Name).NotEmpty().MaximumLength(Visualization.NameMaxLength);
        RuleFor(c => c.Description).MaximumLength(Visualization.DescriptionMaxLength);
        RuleFor(c => c.Type).NotEmpty();
        RuleFor(c => c.Options).NotNull();
    }
}

internal sealed class CreateVisualizationCommandHandler(
    ICurrentUser currentUser,
    IRepository<SavedQuery> queries,
    IRepository<Visualization> visualizations,
    ILatestResultColumns latestResults,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<CreateVisualizationCommand, Versioned<VisualizationDto>>
{
    public async Task<Versioned<VisualizationDto>> Handle(CreateVisualizationCommand request, CancellationToken cancellationToken)
    {
        var ownerId = currentUser.UserId ?? throw new ForbiddenException("A visualization is owned by a user.");
        var input = new VisualizationInput();
        var type = input.Type(request.Type);
        var options = type is { } known ? input.Options(known, request.Options!.Value) : null;
        input.Tags(request.Tags ?? []);
        var query = await input.QueryAsync(queries, request.QueryId, cancellationToken).ConfigureAwait(false);
        var resultColumns = query is null ? null : await latestResults.OfAsync(query.Id, cancellationToken).ConfigureAwait(false);
        if (options is not null)
        {
            input.Columns(options, resultColumns);
        }

        input.ThrowIfAny();

        var now = clock.GetUtcNow();
        var visualization = Visualization.Create(
            Guid.CreateVersion7(now), query!, ownerId, request.Name, request.Description, options!, request.Tags, now);
        visualizations.Add(visualization);
        audit.Record(AuditActions.VisualizationCreated, new AuditTarget("visualization", visualization.Id));
        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return new Versioned<VisualizationDto>(VisualizationDto.From(visualization, resultColumns), visualization.RowVersion);
    }
}
