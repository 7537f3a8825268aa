using FluentValidation;
using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Patching;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Application.SavedQueries;
using Loupe.Domain.Audit;
using Loupe.Domain.Dashboards;
using Loupe.Domain.Organizations;
using MediatR;

namespace Loupe.Application.Dashboards.Commands.UpdateDashboard;

/// <summary>
/// Changes a dashboard; fields left out stay as they are. Whatever changes (name, description,
/// tags, tiles, parameters, mappings) is checked with the rest of the layout and recorded as one
/// new version; the same content again records nothing. Requires <c>If-Match</c> (428 without it,
/// 412 with the current version when stale); an archived dashboard cannot be changed (409).
/// </summary>
[Authorize(MinimumRole = Role.Editor)]
public sealed record UpdateDashboardCommand(
    Guid Id,
    string? Name = null,
    string? Description = null,
    IReadOnlyList<string?>? Tags = null,
    IReadOnlyList<TileInput?>? Tiles = null,
    IReadOnlyList<ParameterDefinitionInput?>? Parameters = null,
    IReadOnlyList<ParameterMappingInput?>? ParameterMappings = null,
    VersionPrecondition? IfMatch = null,
    IReadOnlyList<string>? RequiredResets = null) : IRequest<Versioned<DashboardDto>>;

/// <summary>
/// The body of PATCH /dashboards/{id}, a JSON Merge Patch: <c>null</c> resets <c>description</c>
/// (none) and <c>tags</c>, <c>tiles</c>, <c>parameters</c>, <c>parameter_mappings</c> (empty);
/// <c>name</c> cannot be reset. A list sent replaces the whole list.
/// </summary>
public sealed class UpdateDashboardRequest : MergePatchBody
{
    public string? Name { get; init => field = Sent(value); }

    public string? Description { get; init => field = Sent(value); }

    public IReadOnlyList<string?>? Tags { get; init => field = Sent(value); }

    public IReadOnlyList<TileInput?>? Tiles { get; init => field = Sent(value); }

    public IReadOnlyList<ParameterDefinitionInput?>? Parameters { get; init => field = Sent(value); }

    public IReadOnlyList<ParameterMappingInput?>? ParameterMappings { get; init => field = Sent(value); }

    /// <summary>The command, with a reset written as the value that means "the default" to it.</summary>
    public UpdateDashboardCommand ToCommand(Guid id, VersionPrecondition? ifMatch) =>
        new(
            id,
            Name,
            IsReset(nameof(Description), Description) ? string.Empty : Description,
            IsReset(nameof(Tags), Tags) ? [] : Tags,
            IsReset(nameof(Tiles), Tiles) ? [] : Tiles,
            IsReset(nameof(Parameters), Parameters) ? [] : Parameters,
            IsReset(nameof(ParameterMappings), ParameterMappings) ? [] : ParameterMappings,
            ifMatch,
            RequiredReset(string.Empty, (nameof(Name), Name)));
}

internal sealed class UpdateDashboardCommandValidator : AbstractValidator<UpdateDashboardCommand>
{
    public UpdateDashboardCommandValidator()
    {
        this.RefuseRequiredResets(c => c.RequiredResets);
        RuleFor(c => c.Name).NotEmpty().MaximumLength(Dashboard.NameMaxLength).When(c => c.Name is not null);
        RuleFor(c => c.Description).MaximumLength(Dashboard.DescriptionMaxLength);
        RuleFor(c => c.Tiles!.Count).LessThanOrEqualTo(DashboardGrid.MaxTiles)
            .When(c => c.Tiles is not null).OverridePropertyName("tiles");
        RuleFor(c => c.Parameters!.Count).LessThanOrEqualTo(DashboardParameters.MaxParameters)
            .When(c => c.Parameters is not null).OverridePropertyName("parameters");
        RuleFor(c => c.ParameterMappings!.Count).LessThanOrEqualTo(DashboardParameters.MaxMappings)
            .When(c => c.ParameterMappings is not null).OverridePropertyName("parameter_mappings");
        RuleFor(c => c)
            .Must(c => c.Name is not null || c.Description is not null || c.Tags is not null || c.Tiles is not null
                       || c.Parameters is not null || c.ParameterMappings is not null)
            .WithName("body").WithMessage("Give a name, description, tags, tiles, parameters or parameter_mappings to change.");
    }
}

internal sealed class UpdateDashboardCommandHandler(
    ICurrentUser currentUser,
    IRepository<Dashboard> dashboards,
    IReadStore store,
    IQueryExecutor executor,
    IMarkdownRenderer markdown,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<UpdateDashboardCommand, Versioned<DashboardDto>>
{
    public async Task<Versioned<DashboardDto>> Handle(UpdateDashboardCommand request, CancellationToken cancellationToken)
    {
        var dashboard = await dashboards.FindAsync(request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Dashboard", request.Id);
        VersionPrecondition.Require(request.IfMatch, dashboard.RowVersion, dashboard.LatestVersion);
        dashboard.EnsureActive();

        // The layout is checked whole, whichever part of it changes: new tiles against the mappings
        // kept, new mappings against the tiles kept, and both against the queries as they are now.
        var input = new DashboardInput();
        var tiles = request.Tiles is null ? [.. dashboard.Tiles] : DashboardInput.Tiles(request.Tiles);
        var parameters = request.Parameters is null ? dashboard.Parameters : input.Parameters(request.Parameters);
        var mappings = request.ParameterMappings is null ? [.. dashboard.ParameterMappings] : DashboardInput.Mappings(request.ParameterMappings);
        var queryParameters = await DashboardInput.QueryParametersAsync(store, executor, tiles, cancellationToken).ConfigureAwait(false);
        input.Layout(tiles, parameters, mappings, queryParameters);
        input.ThrowIfAny();

        var changed = dashboard.Revise(
            request.Name ?? dashboard.Name,
            request.Description ?? dashboard.Description,
            request.Tags ?? dashboard.Tags,
            tiles,
            [.. parameters!],
            mappings,
            queryParameters,
            currentUser.UserId,
            clock.GetUtcNow());
        if (changed)
        {
            audit.Record(AuditActions.DashboardUpdated, new AuditTarget("dashboard", dashboard.Id), details: VersionDetail(dashboard.LatestVersion));
            await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        return new Versioned<DashboardDto>(DashboardDto.From(dashboard, markdown), dashboard.RowVersion);
    }

    internal static Dictionary<string, string> VersionDetail(int version) =>
        new(StringComparer.Ordinal) { [AuditDetails.Version] = version.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}
