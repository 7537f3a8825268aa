using Loupe.Api.Http;
using Loupe.Application.Dashboards;
using Loupe.Application.Dashboards.Commands.CreateDashboard;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Loupe.Api.Features;

/// <summary>
/// Dashboards: everyone reads; editors and admins write. Every change requires <c>If-Match</c>
/// (428 without it, 412 with the current version when stale). DELETE archives; restore brings a
/// dashboard back. The read of one dashboard (with what its tiles show) is <see cref="DashboardViewEndpoints"/>'s.
/// </summary>
internal sealed class DashboardEndpoints : IEndpointModule
{
    internal const string Path = "/api/v1/dashboards";

    public void MapEndpoints(IEndpointRouteBuilder api)
    {
        var dashboards = api.MapGroup("/dashboards").WithTags("Dashboards");

        dashboards.MapPost(string.Empty, async Task<Created<DashboardDto>> (CreateDashboardCommand command, HttpContext http, IMediator mediator, CancellationToken ct) =>
        {
            var created = await mediator.Send(command, ct);
            return TypedResults.Created($"{Path}/{created.Value.Id}", EntityTags.Tag(http, created));
        }).WithSummary("Save a dashboard as version 1 (editor); tiles on the 24-column grid, visualizations of your organization, mappings onto their queries' parameters");
    }
}
