using Loupe.Api.Http;
using Loupe.Application.Canvases;
using Loupe.Application.Canvases.Commands.ArchiveCanvas;
using Loupe.Application.Canvases.Commands.CreateCanvas;
using Loupe.Application.Canvases.Commands.ReplaceCanvasGraph;
using Loupe.Application.Canvases.Commands.RestoreCanvas;
using Loupe.Application.Canvases.Commands.UpdateCanvas;
using Loupe.Application.Canvases.Queries.GetCanvas;
using Loupe.Application.Canvases.Queries.ListCanvases;
using Loupe.Application.Common.Paging;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Loupe.Api.Features;

/// <summary>
/// Canvases: everyone reads; editors and admins write. The graph (nodes and edges) is replaced whole
/// with PUT …/graph; DELETE archives (soft delete); restore brings a canvas back.
/// </summary>
internal sealed class CanvasEndpoints : IEndpointModule
{
    private const string Path = "/api/v1/canvases";

    public void MapEndpoints(IEndpointRouteBuilder api)
    {
        var canvases = api.MapGroup("/canvases").WithTags("Canvases");

        canvases.MapPost(string.Empty, async Task<Created<CanvasDto>> (CreateCanvasCommand command, HttpContext http, IMediator mediator, CancellationToken ct) =>
        {
            var created = await mediator.Send(command, ct);
            return TypedResults.Created($"{Path}/{created.Value.Id}", EntityTags.Tag(http, created));
        }).WithSummary("Create a canvas, empty or with its first nodes and edges (editor); time_preset defaults to last_24_hours")
            .WithDescription("The graph is checked as PUT /canvases/{id}/graph checks it: one 400 names every broken rule by its path (nodes[3].ref_id, edges[0].target).");

        canvases.MapGet(string.Empty, async Task<Ok<PagedResult<CanvasSummaryDto>>> (RawQuery query, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new ListCanvasesQuery(query.Values), ct)))
            .AcceptsQuery(ListQueryParameters.PagedAnd(ListQueryParameters.Status, ListQueryParameters.Text, ListQueryParameters.CreatedAfter, ListQueryParameters.CreatedBefore, ListQueryParameters.UpdatedAfter, ListQueryParameters.UpdatedBefore))
            .WithSummary("List canvases without their graphs (active unless status=archived; q, created/updated ranges; sort by name, created_at, updated_at)");

        // Always a 200: the answer's time_window moves with the clock and the organization's zone, which
        // the ETag (the stored canvas) does not follow, so a 304 would vouch for a stale window.
        canvases.MapGet("/{id:guid}", async Task<Ok<CanvasDto>> (Guid id, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(EntityTags.Tag(http, await mediator.Send(new GetCanvasQuery(id), ct))))
            .WithSummary("Get a canvas with its nodes and edges and its time window resolved now (ETag for If-Match; never 304)");

        canvases.MapPatch("/{id:guid}", async Task<Ok<CanvasDto>> (
                Guid id, UpdateCanvasRequest body, [FromHeader(Name = EntityTags.IfMatchHeader)] string? ifMatch, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(EntityTags.Tag(http, await mediator.Send(body.ToCommand(id, EntityTags.Precondition(ifMatch)), ct))))
            .WithSummary("Change a canvas's name, description or time preset (editor); If-Match answers 412 when stale; 409 canvas.archived for an archived canvas");

        canvases.MapPut("/{id:guid}/graph", async Task<Ok<CanvasDto>> (
                Guid id, ReplaceCanvasGraphRequest body, [FromHeader(Name = EntityTags.IfMatchHeader)] string? ifMatch, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(EntityTags.Tag(http, await mediator.Send(body.ToCommand(id, EntityTags.Precondition(ifMatch)), ct))))
            .WithSummary("Replace a canvas's nodes and edges together (editor); a refused graph changes nothing; If-Match answers 412 when stale")
            .WithDescription("At most 200 nodes and 500 edges; edges join two different nodes of the body, at most once per direction; every ref_id is a query "
                + "(query nodes) or visualization (visualization nodes) of your organization. One 400 names every broken rule by its path (nodes[3].ref_id, edges[4].target, edges[2] for a duplicate).");

        canvases.MapDelete("/{id:guid}", async Task<NoContent> (
            Guid id, [FromHeader(Name = EntityTags.IfMatchHeader)] string? ifMatch, IMediator mediator, CancellationToken ct) =>
        {
            await mediator.Send(new ArchiveCanvasCommand(id, EntityTags.Precondition(ifMatch)), ct);
            return TypedResults.NoContent();
        }).WithSummary("Archive (soft-delete) a canvas (editor); it can be restored");

        canvases.MapPost("/{id:guid}/restore", async Task<Ok<CanvasDto>> (
                Guid id, [FromHeader(Name = EntityTags.IfMatchHeader)] string? ifMatch, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(EntityTags.Tag(http, await mediator.Send(new RestoreCanvasCommand(id, EntityTags.Precondition(ifMatch)), ct))))
            .WithSummary("Restore an archived canvas (editor)");
    }
}
