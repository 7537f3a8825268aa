using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Dashboards;
using Loupe.Domain.Organizations;
using MediatR;

namespace Loupe.Application.Dashboards.Commands.RestoreDashboardVersion;

/// <summary>
/// Makes an earlier version of a dashboard current again as a new version (editors; the history
/// keeps every version). Its tiles and mappings are checked again against the visualizations and
/// queries as they are now. Restoring the current content changes nothing. Requires
/// <c>If-Match</c>; an archived dashboard must be restored first (409 <c>dashboard.archived</c>).
/// </summary>
[Authorize(MinimumRole = Role.Editor)]
public sealed record RestoreDashboardVersionCommand(Guid Id, int Version, VersionPrecondition? IfMatch = null) : IRequest<Versioned<DashboardDto>>;

internal sealed class RestoreDashboardVersionCommandHandler(
    ICurrentUser currentUser,
    IRepository<Dashboard> dashboards,
    IReadStore store,
    IQueryExecutor executor,
    IMarkdownRenderer markdown,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<RestoreDashboardVersionCommand, Versioned<DashboardDto>>
{
    public async Task<Versioned<DashboardDto>> Handle(RestoreDashboardVersionCommand request, CancellationToken cancellationToken)
    {
        var dashboard = await dashboards.FindAsync(request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Dashboard", request.Id);
        VersionPrecondition.Require(request.IfMatch, dashboard.RowVersion, dashboard.LatestVersion);
        dashboard.EnsureActive();

        var version = await DashboardVersions.FindAsync(store, executor, dashboard.Id, request.Version, cancellationToken).ConfigureAwait(false);
        var queryParameters = await DashboardInput.QueryParametersAsync(store, executor, version.Tiles, cancellationToken).ConfigureAwait(false);
        var input = new DashboardInput();
        input.Layout([.. version.Tiles], version.Parameters, [.. version.ParameterMappings], queryParameters);
        input.ThrowIfAny();
        if (dashboard.RestoreVersion(version, queryParameters, currentUser.UserId, clock.GetUtcNow()))
        {
            var details = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [AuditDetails.Version] = dashboard.LatestVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [AuditDetails.RestoredFrom] = version.Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            audit.Record(AuditActions.DashboardUpdated, new AuditTarget("dashboard", dashboard.Id), details: details);
            await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        return new Versioned<DashboardDto>(DashboardDto.From(dashboard, markdown), dashboard.RowVersion);
    }
}
