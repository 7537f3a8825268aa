using Loupe.Api.Http;
using Loupe.Application.Alerts;
using Loupe.Application.Alerts.Commands.ArchiveAlert;
using Loupe.Application.Alerts.Commands.CreateAlert;
using Loupe.Application.Alerts.Commands.RestoreAlert;
using Loupe.Application.Alerts.Commands.UpdateAlert;
using Loupe.Application.Alerts.Queries.GetAlert;
using Loupe.Application.Alerts.Queries.ListAlerts;
using Loupe.Application.Common.Paging;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Loupe.Api.Features;

/// <summary>
/// Alerts: everyone reads; editors and admins write. DELETE archives; restore brings one back. The
/// state is read-only: the evaluation after each successful run of the query sets it. A read always
/// answers the whole alert (no 304): its state changes with the query's runs.
/// </summary>
internal sealed class AlertEndpoints : IEndpointModule
{
    private const string Path = "/api/v1/alerts";

    public void MapEndpoints(IEndpointRouteBuilder api)
    {
        var alerts = api.MapGroup("/alerts").WithTags("Alerts");

        alerts.MapPost(string.Empty, async Task<Created<AlertDto>> (CreateAlertCommand command, HttpContext http, IMediator mediator, CancellationToken ct) =>
        {
            var created = await mediator.Send(command, ct);
            return TypedResults.Created($"{Path}/{created.Value.Id}", EntityTags.Tag(http, created));
        }).WithSummary("Add an alert on a saved query (editor); it is evaluated after each successful run of the query")
            .WithDescription("condition {selector, column, op, value} is checked whole (alert.* codes at condition.*); its column must be one of the query's latest result "
                + "when the query has one (alert.column_unknown). query_id of no query of the organization: 400 alert.query_not_found; an archived query: 409 alert.query_archived.");

        alerts.MapGet(string.Empty, async Task<Ok<PagedResult<AlertDto>>> (RawQuery query, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new ListAlertsQuery(query.Values), ct)))
            .AcceptsQuery(ListQueryParameters.PagedAnd(
                ListQueryParameters.Status, ListQueryParameters.Text, ListQueryParameters.OwnerId, ListQueryParameters.CreatedAfter, ListQueryParameters.CreatedBefore,
                ListQueryParameters.UpdatedAfter, ListQueryParameters.UpdatedBefore, ListAlertsQuery.QueryFilter))
            .WithSummary("List alerts with their state (active unless status=archived; query_id, q, owner_id, created/updated ranges; sort by name, created_at, updated_at)");

        alerts.MapGet("/{id:guid}", async Task<Ok<AlertDto>> (Guid id, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(EntityTags.Tag(http, await mediator.Send(new GetAlertQuery(id), ct))))
            .WithSummary("Get an alert (ETag) with its state, the reason it is unknown and when it was last evaluated and triggered");

        alerts.MapPatch("/{id:guid}", async Task<Ok<AlertDto>> (
                Guid id, UpdateAlertRequest body, [FromHeader(Name = EntityTags.IfMatchHeader)] string? ifMatch, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(EntityTags.Tag(http, await mediator.Send(body.ToCommand(id, EntityTags.Precondition(ifMatch)), ct))))
            .WithSummary("Change an alert (editor, JSON Merge Patch); a new condition is checked as on create and makes the state unknown until the next run; If-Match answers 412 when stale");

        alerts.MapDelete("/{id:guid}", async Task<NoContent> (
            Guid id, [FromHeader(Name = EntityTags.IfMatchHeader)] string? ifMatch, IMediator mediator, CancellationToken ct) =>
        {
            await mediator.Send(new ArchiveAlertCommand(id, EntityTags.Precondition(ifMatch)), ct);
            return TypedResults.NoContent();
        }).WithSummary("Archive (soft-delete) an alert (editor): no longer evaluated; it can be restored");

        alerts.MapPost("/{id:guid}/restore", async Task<Ok<AlertDto>> (
                Guid id, [FromHeader(Name = EntityTags.IfMatchHeader)] string? ifMatch, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(EntityTags.Tag(http, await mediator.Send(new RestoreAlertCommand(id, EntityTags.Precondition(ifMatch)), ct))))
            .WithSummary("Restore an archived alert (editor)");
    }
}
