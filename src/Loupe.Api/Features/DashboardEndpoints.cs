using Loupe.Api.Http;
using Loupe.Application.Common.Paging;
using Loupe.Application.Dashboards;
using Loupe.Application.Dashboards.Commands.ArchiveDashboard;
using Loupe.Application.Dashboards.Commands.CreateDashboard;
using Loupe.Application.Dashboards.Commands.RestoreDashboard;
using Loupe.Application.Dashboards.Commands.RestoreDashboardVersion;
using Loupe.Application.Dashboards.Commands.UpdateDashboard;
using Loupe.Application.Dashboards.Queries.GetDashboardVersion;
using Loupe.Application.Dashboards.Queries.ListDashboards;
using Loupe.Application.Dashboards.Queries.ListDashboardVersions;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

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

        dashboards.MapGet(string.Empty, async Task<Ok<PagedResult<DashboardSummaryDto>>> (RawQuery query, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new ListDashboardsQuery(query.Values), ct)))
            .AcceptsQuery(ListQueryParameters.PagedAnd(ListQueryParameters.Status, ListQueryParameters.Text, ListQueryParameters.Tags, ListQueryParameters.OwnerId, ListQueryParameters.CreatedAfter, ListQueryParameters.CreatedBefore, ListQueryParameters.UpdatedAfter, ListQueryParameters.UpdatedBefore))
            .WithSummary("List dashboards without their tiles (active unless status=archived; q, tags, owner_id, created/updated ranges; sort by name, created_at, updated_at)");

        dashboards.MapPatch("/{id:guid}", async Task<Ok<DashboardDto>> (
                Guid id, UpdateDashboardRequest body, [FromHeader(Name = EntityTags.IfMatchHeader)] string? ifMatch, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(EntityTags.Tag(http, await mediator.Send(body.ToCommand(id, EntityTags.Precondition(ifMatch)), ct))))
            .RequiresIfMatch()
            .WithSummary("Change a dashboard (editor), a JSON Merge Patch; any change is one new version; If-Match required (428 without it, 412 with current_version when stale)");

        dashboards.MapDelete("/{id:guid}", async Task<NoContent> (
            Guid id, [FromHeader(Name = EntityTags.IfMatchHeader)] string? ifMatch, IMediator mediator, CancellationToken ct) =>
        {
            await mediator.Send(new ArchiveDashboardCommand(id, EntityTags.Precondition(ifMatch)), ct);
            return TypedResults.NoContent();
        }).RequiresIfMatch()
            .WithSummary("Archive (soft-delete) a dashboard (editor); it can be restored; If-Match required");

        dashboards.MapPost("/{id:guid}/restore", async Task<Ok<DashboardDto>> (
                Guid id, [FromHeader(Name = EntityTags.IfMatchHeader)] string? ifMatch, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(EntityTags.Tag(http, await mediator.Send(new RestoreDashboardCommand(id, EntityTags.Precondition(ifMatch)), ct))))
            .RequiresIfMatch()
            .WithSummary("Restore an archived dashboard (editor); If-Match required");

        dashboards.MapGet("/{id:guid}/versions", async Task<Ok<PagedResult<DashboardVersionDto>>> (Guid id, RawQuery query, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new ListDashboardVersionsQuery(id, query.Values), ct)))
            .AcceptsQuery(ListQueryParameters.PagedAnd(ListQueryParameters.CreatedAfter, ListQueryParameters.CreatedBefore))
            .WithSummary("Every saved version of a dashboard (name, description, tags, tiles, parameters, mappings), newest first (sort by version or created_at)");

        dashboards.MapGet("/{id:guid}/versions/{version:int}", async Task<Ok<DashboardVersionDto>> (Guid id, int version, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new GetDashboardVersionQuery(id, version), ct)))
            .WithSummary("One saved version of a dashboard (404 when it has no such version)");

        dashboards.MapPost("/{id:guid}/versions/{version:int}/restore", async Task<Ok<DashboardDto>> (
                Guid id, int version, [FromHeader(Name = EntityTags.IfMatchHeader)] string? ifMatch, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(EntityTags.Tag(http, await mediator.Send(new RestoreDashboardVersionCommand(id, version, EntityTags.Precondition(ifMatch)), ct))))
            .RequiresIfMatch()
            .WithSummary("Make an earlier version current again, as a new version (editor); checked again against today's visualizations and queries; If-Match required; 409 dashboard.archived for an archived dashboard");
    }
}
