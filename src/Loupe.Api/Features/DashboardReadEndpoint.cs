using Loupe.Api.Http;
using Loupe.Application.Dashboards;
using Loupe.Application.Dashboards.Queries.GetDashboard;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Loupe.Api.Features;

/// <summary>The read of one dashboard (<c>GET /dashboards/{id}</c>), on its own: the document, with its <c>ETag</c>.</summary>
internal sealed class DashboardReadEndpoint : IEndpointModule
{
    public void MapEndpoints(IEndpointRouteBuilder api) =>
        api.MapGroup("/dashboards").WithTags("Dashboards")
            .MapGet("/{id:guid}", async Task<Results<Ok<DashboardDto>, StatusCodeHttpResult>> (
                Guid id, [FromHeader(Name = EntityTags.IfNoneMatchHeader)] string? ifNoneMatch, HttpContext http, IMediator mediator, CancellationToken ct) =>
                EntityTags.Read(http, await mediator.Send(new GetDashboardQuery(id), ct), ifNoneMatch))
            .Produces(StatusCodes.Status304NotModified)
            .WithSummary("Get a dashboard: its tiles (text tiles with rendered_html), parameters and mappings (ETag; If-None-Match answers 304)");
}
