using Loupe.Api.Http;
using Loupe.Application.Common.Paging;
using Loupe.Application.Runs;
using Loupe.Application.Schedules;
using Loupe.Application.Schedules.Commands.ArchiveSchedule;
using Loupe.Application.Schedules.Commands.CreateSchedule;
using Loupe.Application.Schedules.Commands.RestoreSchedule;
using Loupe.Application.Schedules.Commands.TriggerSchedule;
using Loupe.Application.Schedules.Commands.UpdateSchedule;
using Loupe.Application.Schedules.Queries.GetSchedule;
using Loupe.Application.Schedules.Queries.ListSchedules;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Loupe.Api.Features;

/// <summary>
/// Schedules: everyone reads; editors and admins write and trigger. DELETE archives; restore brings
/// one back. Reads answer an ETag; PATCH, DELETE and restore honour If-Match (412 when stale).
/// </summary>
internal sealed class ScheduleEndpoints : IEndpointModule
{
    private const string Path = "/api/v1/schedules";

    public void MapEndpoints(IEndpointRouteBuilder api)
    {
        var schedules = api.MapGroup("/schedules").WithTags("Schedules");

        schedules.MapPost(string.Empty, async Task<Created<ScheduleDto>> (CreateScheduleCommand command, HttpContext http, IMediator mediator, CancellationToken ct) =>
        {
            var created = await mediator.Send(command, ct);
            return TypedResults.Created($"{Path}/{created.Value.Id}", EntityTags.Tag(http, created));
        }).WithSummary("Schedule a saved query (editor): cron with 5 fields or 6 with seconds, an IANA timezone (the organization's when left out)")
            .WithDescription("An invalid cron: 400 schedule.cron_invalid with the reason at cron; one that fires more often than the minimum interval: 400 schedule.cron_too_frequent; "
                + "an unknown zone: 400 schedule.timezone_unknown at timezone; values that do not fit the query's parameters: 400 at parameters.<name>; "
                + "query_id of no query of the organization: 400 schedule.query_not_found; an archived query: 409 schedule.query_archived.");

        schedules.MapGet(string.Empty, async Task<Ok<PagedResult<ScheduleDto>>> (RawQuery query, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new ListSchedulesQuery(query.Values), ct)))
            .AcceptsQuery(ListQueryParameters.PagedAnd(
                ListQueryParameters.Status, ListQueryParameters.Text, ListQueryParameters.Tags, ListQueryParameters.OwnerId, ListQueryParameters.CreatedAfter,
                ListQueryParameters.CreatedBefore, ListQueryParameters.UpdatedAfter, ListQueryParameters.UpdatedBefore, ListSchedulesQuery.QueryFilter))
            .WithSummary("List schedules (status=active|archived, query_id, q, tags, owner_id, created/updated ranges; sort by name, created_at, updated_at)");

        schedules.MapGet("/{id:guid}", async Task<Ok<ScheduleDto>> (Guid id, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(EntityTags.Tag(http, await mediator.Send(new GetScheduleQuery(id), ct))))
            .WithSummary("Get a schedule (ETag), with its next run, last run, failure count and last error");

        schedules.MapPatch("/{id:guid}", async Task<Ok<ScheduleDto>> (
                Guid id, UpdateScheduleRequest body, [FromHeader(Name = EntityTags.IfMatchHeader)] string? ifMatch, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(EntityTags.Tag(http, await mediator.Send(body.ToCommand(id, EntityTags.Precondition(ifMatch)), ct))))
            .WithSummary("Change a schedule (editor), a JSON Merge Patch; enabled=true starts a paused schedule again with its failure count at zero; If-Match answers 412 when stale");

        schedules.MapDelete("/{id:guid}", async Task<NoContent> (
            Guid id, [FromHeader(Name = EntityTags.IfMatchHeader)] string? ifMatch, IMediator mediator, CancellationToken ct) =>
        {
            await mediator.Send(new ArchiveScheduleCommand(id, EntityTags.Precondition(ifMatch)), ct);
            return TypedResults.NoContent();
        }).WithSummary("Archive (soft-delete) a schedule (editor): it stops firing and can be restored");

        schedules.MapPost("/{id:guid}/restore", async Task<Ok<ScheduleDto>> (
                Guid id, [FromHeader(Name = EntityTags.IfMatchHeader)] string? ifMatch, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(EntityTags.Tag(http, await mediator.Send(new RestoreScheduleCommand(id, EntityTags.Precondition(ifMatch)), ct))))
            .WithSummary("Restore an archived schedule (editor); an enabled one fires again from now");

        schedules.MapPost("/{id:guid}/trigger", async Task<Accepted<RunDto>> (Guid id, IMediator mediator, CancellationToken ct) =>
        {
            var run = await mediator.Send(new TriggerScheduleCommand(id), ct);
            return TypedResults.Accepted($"/api/v1/runs/{run.Id}", run);
        }).WithSummary("Run a schedule now (editor), with its values; its next time does not move")
            .WithDescription("The run names the schedule and counts for its failures. An archived schedule: 409 schedule.archived; an archived query: 409 query.archived.");
    }
}
