using FluentValidation;
using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Application.SavedQueries;
using Loupe.Domain.Audit;
using Loupe.Domain.Dashboards;
using Loupe.Domain.Organizations;
using MediatR;

namespace Loupe.Application.Dashboards.Commands.CreateDashboard;

/// <summary>
/// Saves a new dashboard, owned by the caller, as version 1. Its tiles must lie on the grid without
/// overlapping and name visualizations of the caller's organization; its mappings must name
/// parameters the tiles' queries have, of a type that fits. Every broken rule is named at once.
/// </summary>
[Authorize(MinimumRole = Role.Editor)]
public sealed record CreateDashboardCommand(
    string? Name,
    string? Description = null,
    IReadOnlyList<string?>? Tags = null,
    IReadOnlyList<TileInput?>? Tiles = null,
    IReadOnlyList<ParameterDefinitionInput?>? Parameters = null,
    IReadOnlyList<ParameterMappingInput?>? ParameterMappings = null) : IRequest<Versioned<DashboardDto>>;

internal sealed class CreateDashboardCommandValidator : AbstractValidator<CreateDashboardCommand>
{
    public CreateDashboardCommandValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(Dashboard.NameMaxLength);
        RuleFor(c => c.Description).MaximumLength(Dashboard.DescriptionMaxLength);
        RuleFor(c => c.Tiles!.Count).LessThanOrEqualTo(DashboardGrid.MaxTiles)
            .When(c => c.Tiles is not null).OverridePropertyName("tiles");
        RuleFor(c => c.Parameters!.Count).LessThanOrEqualTo(DashboardParameters.MaxParameters)
            .When(c => c.Parameters is not null).OverridePropertyName("parameters");
        RuleFor(c => c.ParameterMappings!.Count).LessThanOrEqualTo(DashboardParameters.MaxMappings)
            .When(c => c.ParameterMappings is not null).OverridePropertyName("parameter_mappings");
    }
}

internal sealed class CreateDashboardCommandHandler(
    ITenantScope tenant,
    ICurrentUser currentUser,
    IRepository<Dashboard> dashboards,
    IReadStore store,
    IQueryExecutor executor,
    IMarkdownRenderer markdown,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<CreateDashboardCommand, Versioned<DashboardDto>>
{
    public async Task<Versioned<DashboardDto>> Handle(CreateDashboardCommand request, CancellationToken cancellationToken)
    {
        var organizationId = tenant.RequiredOrganizationId();
        var ownerId = currentUser.UserId ?? throw new ForbiddenException("A dashboard is owned by a user.");
        var input = new DashboardInput();
        var tiles = DashboardInput.Tiles(request.Tiles ?? []);
        var parameters = input.Parameters(request.Parameters ?? []);
        var mappings = DashboardInput.Mappings(request.ParameterMappings ?? []);
        var queryParameters = await DashboardInput.QueryParametersAsync(store, executor, tiles, cancellationToken).ConfigureAwait(false);
        input.Layout(tiles, parameters, mappings, queryParameters);
        input.ThrowIfAny();

        var now = clock.GetUtcNow();
        var dashboard = Dashboard.Create(
            Guid.CreateVersion7(now),
            organizationId,
            ownerId,
            request.Name!,
            request.Description,
            request.Tags,
            tiles,
            [.. parameters!],
            mappings,
            queryParameters,
            now);
        dashboards.Add(dashboard);
        audit.Record(AuditActions.DashboardCreated, new AuditTarget("dashboard", dashboard.Id));
        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return new Versioned<DashboardDto>(DashboardDto.From(dashboard, markdown), dashboard.RowVersion);
    }
}
