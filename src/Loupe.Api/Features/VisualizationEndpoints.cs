using Loupe.Api.Http;
using Loupe.Application.Common.Paging;
using Loupe.Application.Visualizations;
using Loupe.Application.Visualizations.Commands.ArchiveVisualization;
using Loupe.Application.Visualizations.Commands.CreateVisualization;
using Loupe.Application.Visualizations.Commands.RestoreVisualization;
using Loupe.Application.Visualizations.Commands.UpdateVisualization;
using Loupe.Application.Visualizations.Queries.GetVisualization;
using Loupe.Application.Visualizations.Queries.ListVisualizations;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Loupe.Api.Features;

/// <summary>
/// Visualizations: everyone reads; editors and admins write. DELETE archives; restore brings one back.
/// A read always answers the whole visualization (no 304): its warnings follow the query's latest
/// result, which changes without the visualization's own version changing.
/// </summary>
internal sealed class VisualizationEndpoints : IEndpointModule
{
    private const string Path = "/api/v1/visualizations";

    public void MapEndpoints(IEndpointRouteBuilder api)
    {
        var visualizations = api.MapGroup("/visualizations").WithTags("Visualizations");

        visualizations.MapPost(string.Empty, async Task<Created<VisualizationDto>> (CreateVisualizationCommand command, HttpContext http, IMediator mediator, CancellationToken ct) =>
        {
            var created = await mediator.Send(command, ct);
            return TypedResults.Created($"{Path}/{created.Value.Id}", EntityTags.Tag(http, created));
        }).WithSummary("Draw a saved query as a visualization (editor); options are the settings of its type, every broken one reported under its path")
            .WithDescription("options: at most 64 KiB of JSON, only keys of the type; every column it names must be a column of the query's latest result when the query has one "
                + "(visualization.unknown_column at the setting's path). query_id of no query of the organization: 400 visualization.query_not_found; an archived query: 409 visualization.query_archived.");

        visualizations.MapGet(string.Empty, async Task<Ok<PagedResult<VisualizationDto>>> (RawQuery query, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new ListVisualizationsQuery(query.Values), ct)))
            .AcceptsQuery(ListQueryParameters.PagedAnd(
                ListQueryParameters.Text, ListQueryParameters.Tags, ListQueryParameters.OwnerId, ListQueryParameters.CreatedAfter, ListQueryParameters.CreatedBefore,
                ListQueryParameters.UpdatedAfter, ListQueryParameters.UpdatedBefore, ListVisualizationsQuery.QueryFilter, ListVisualizationsQuery.TypeFilter,
                ListQueryParameters.Status))
            .WithSummary("List visualizations with their options and warnings (active unless status=archived; query_id, type, q, tags, owner_id, created/updated ranges; sort by name, created_at, updated_at)");

        visualizations.MapGet("/{id:guid}", async Task<Ok<VisualizationDto>> (Guid id, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(EntityTags.Tag(http, await mediator.Send(new GetVisualizationQuery(id), ct))))
            .WithSummary("Get a visualization (ETag), with warnings naming each setting whose column the query's latest result no longer has");

        visualizations.MapPatch("/{id:guid}", async Task<Ok<VisualizationDto>> (
                Guid id, UpdateVisualizationRequest body, [FromHeader(Name = EntityTags.IfMatchHeader)] string? ifMatch, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(EntityTags.Tag(http, await mediator.Send(body.ToCommand(id, EntityTags.Precondition(ifMatch)), ct))))
            .WithSummary("Change a visualization (editor); a new type or new options are checked together, as on create; If-Match answers 412 when stale");

        visualizations.MapDelete("/{id:guid}", async Task<NoContent> (
            Guid id, [FromHeader(Name = EntityTags.IfMatchHeader)] string? ifMatch, IMediator mediator, CancellationToken ct, bool force = false) =>
        {
            await mediator.Send(new ArchiveVisualizationCommand(id, EntityTags.Precondition(ifMatch), force), ct);
            return TypedResults.NoContent();
        }).WithSummary("Archive (soft-delete) a visualization (editor); it can be restored")
            .WithDescription("While active dashboards show it, the answer is 409 visualization.in_use naming them (dashboards); force=true archives it anyway.");

        visualizations.MapPost("/{id:guid}/restore", async Task<Ok<VisualizationDto>> (
                Guid id, [FromHeader(Name = EntityTags.IfMatchHeader)] string? ifMatch, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(EntityTags.Tag(http, await mediator.Send(new RestoreVisualizationCommand(id, EntityTags.Precondition(ifMatch)), ct))))
            .WithSummary("Restore an archived visualization (editor)");
    }
}
