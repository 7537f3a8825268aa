using Loupe.Api.Security;
using Loupe.Application.AdminJobs;
using Loupe.Application.AdminJobs.Commands.AdminScheduleActions;
using Loupe.Application.AdminJobs.Commands.CancelAdminJob;
using Loupe.Application.AdminJobs.Commands.DeleteAdminJob;
using Loupe.Application.AdminJobs.Commands.PauseJobQueue;
using Loupe.Application.AdminJobs.Commands.ResumeJobQueue;
using Loupe.Application.AdminJobs.Commands.RetryAdminJob;
using Loupe.Application.AdminJobs.Commands.RetryAdminJobs;
using Loupe.Application.AdminJobs.Commands.SystemJobActions;
using Loupe.Application.AdminJobs.Queries.GetAdminJob;
using Loupe.Application.AdminJobs.Queries.GetJobsOverview;
using Loupe.Application.AdminJobs.Queries.ListAdminJobs;
using Loupe.Application.AdminJobs.Queries.ListJobQueues;
using Loupe.Application.AdminJobs.Queries.ListJobServers;
using Loupe.Application.AdminJobs.Queries.ListRecurringJobs;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Loupe.Api.Features;

/// <summary>
/// The jobs admin API (ADR 0069): every organization's jobs, for instance admins only. Anyone else is
/// answered 404 as for an address where nothing exists (<see cref="InstanceAdminGate"/>). Called with the
/// bearer token, so no cookie and no anti-forgery token is involved.
/// </summary>
internal sealed class AdminJobEndpoints : IEndpointModule
{
    public void MapEndpoints(IEndpointRouteBuilder api)
    {
        var jobs = api.MapGroup("/admin/jobs").WithTags("Admin: jobs").ForInstanceAdminsOnly().ProducesProblem(StatusCodes.Status404NotFound);

        jobs.MapGet("/overview", async Task<Ok<JobsOverviewDto>> (IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetJobsOverviewQuery(), ct)))
            .WithSummary("Job counts per status, due jobs per queue and priority, the oldest wait, and finished jobs per second (last minute), hour (24 h) and day (7 days)");

        jobs.MapGet(string.Empty, async Task<Ok<AdminJobPageDto>> (
                [FromQuery] string? state,
                [FromQuery] string? kind,
                [FromQuery(Name = "organization_id")] Guid? organizationId,
                [FromQuery] DateTimeOffset? from,
                [FromQuery] DateTimeOffset? to,
                [FromQuery] string? queue,
                [FromQuery] string? cursor,
                [FromQuery] int? limit,
                IMediator mediator,
                CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListAdminJobsQuery(state, kind, organizationId, from, to, cursor, limit, queue), ct)))
            .WithSummary("Jobs of every organization, newest first, a page at a time (cursor = the previous page's next_cursor)")
            .WithDescription("state: a comma-separated list of queued, scheduled, retrying, running, succeeded, failed, dead_lettered, cancelled; "
                + "queue: one queue's jobs (with state=queued, what waits in it); from/to bound the enqueue time; limit 1–200 (50). Lists carry no payload. Running jobs name their node, lease expiry and heartbeat age.");

        jobs.MapGet("/{id:guid}", async Task<Ok<AdminJobDetailDto>> (Guid id, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetAdminJobQuery(id), ct)))
            .WithSummary("One job: what it serves, its timeline, and only the payload fields its kind allows (ids and counters)");

        jobs.MapPost("/{id:guid}/retry", async Task<Ok<JobActionResultDto>> (Guid id, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new RetryAdminJobCommand(id), ct)))
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Queue a failed, dead-lettered or cancelled job again, attempts reset (audited)")
            .WithDescription("Another state: 409 job.not_retryable; another job with its unique key waits or runs: 409 job.duplicate_queued. "
                + "A query run's job is retried only while its run has not finished (the run starts again with a new attempt); "
                + "a finished run is never run again: 409 job.run_finished (run the query again for a new run).");

        jobs.MapPost("/retry", async Task<Ok<IReadOnlyList<JobActionResultDto>>> (RetryAdminJobsCommand command, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(command, ct)))
            .WithName("retryAdminJobs")
            .WithSummary("Retry a selection of jobs (at most 500); answers each job's outcome (retried, not_found, or the code that refused it)");

        jobs.MapPost("/{id:guid}/cancel", async Task<Ok<JobActionResultDto>> (Guid id, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new CancelAdminJobCommand(id), ct)))
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Cancel a queued job, or tell the node running a job to stop it (cancellation_requested); audited")
            .WithDescription("A finished job: 409 job.not_cancellable. A query run's job cancels its run too, as the run's own cancel does: "
                + "the run ends cancelled, and a running query is stopped by its node.");

        jobs.MapDelete("/{id:guid}", async Task<NoContent> (Guid id, IMediator mediator, CancellationToken ct) =>
        {
            await mediator.Send(new DeleteAdminJobCommand(id), ct);
            return TypedResults.NoContent();
        }).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Delete a finished job (audited); a queued or running one: 409 job.not_finished");

        // Recurring jobs (ADR 0071): the system jobs the nodes queue on a timer, and every organization's schedules.
        var recurring = jobs.MapGroup("/recurring");
        recurring.MapGet(string.Empty, async Task<Ok<RecurringJobsDto>> ([FromQuery] string? cursor, [FromQuery] int? limit, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListRecurringJobsQuery(cursor, limit), ct)))
            .WithSummary("The system jobs, and every organization's schedules (not archived) a page at a time in id order (cursor = the previous page's next_cursor)")
            .WithDescription($"limit 1–{ListRecurringJobsQuery.MaxLimit} ({ListRecurringJobsQuery.DefaultLimit}) schedules; every page lists all system jobs. "
                + "Schedules carry no parameter values.");

        recurring.MapPost("/schedules/{id:guid}/trigger", async Task<Ok<RecurringJobActionResultDto>> (Guid id, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new TriggerAdminScheduleCommand(id), ct)))
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("Run any organization's schedule now, as its editors' trigger does (audited in its organization)")
            .WithDescription("An archived schedule: 409 schedule.archived; its query archived: 409; the organization's queue full: 429.");

        recurring.MapPost("/schedules/{id:guid}/pause", async Task<Ok<RecurringJobActionResultDto>> (Guid id, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new PauseAdminScheduleCommand(id), ct)))
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Stop any organization's schedule (disabled: no next time); already stopped: already_paused (audited in its organization)")
            .WithDescription("An archived schedule: 409 schedule.archived.");

        recurring.MapPost("/schedules/{id:guid}/resume", async Task<Ok<RecurringJobActionResultDto>> (Guid id, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ResumeAdminScheduleCommand(id), ct)))
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Start a stopped or paused schedule again from now on, its failure count anew; already active: already_active (audited in its organization)")
            .WithDescription("An archived schedule: 409 schedule.archived.");

        recurring.MapPost("/system/{kind}/trigger", async Task<Ok<RecurringJobActionResultDto>> (string kind, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new TriggerSystemJobCommand(kind), ct)))
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Queue a system job now, paused or not (audited)")
            .WithDescription("One of its kind already queued or running: 409 system_job.already_queued; an unknown kind: 404 system_job.not_found.");

        recurring.MapPost("/system/{kind}/pause", async Task<Ok<RecurringJobActionResultDto>> (string kind, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new PauseSystemJobCommand(kind), ct)))
            .WithSummary("Pause a system job: no node queues it on its timer until it is resumed; already paused: already_paused (audited)");

        recurring.MapPost("/system/{kind}/resume", async Task<Ok<RecurringJobActionResultDto>> (string kind, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ResumeSystemJobCommand(kind), ct)))
            .WithSummary("Resume a paused system job: the nodes queue it again at their next tick; not paused: already_active (audited)");
        jobs.MapGet("/servers", async Task<Ok<JobServersDto>> (IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListJobServersQuery(), ct)))
            .WithSummary("The engine's nodes (API and worker hosts): started, last heartbeat and its age, slots used of total, queues served; lost = stopped beating");

        jobs.MapGet("/queues", async Task<Ok<JobQueuesDto>> (IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListJobQueuesQuery(), ct)))
            .WithSummary("Every known queue (with due jobs, paused, or served by a live node): due jobs per priority, the oldest wait, paused since when, the nodes serving it");

        jobs.MapPost("/queues/{queue}/pause", async Task<Ok<JobQueueActionResultDto>> (string queue, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new PauseJobQueueCommand(queue), ct)))
            .WithSummary("Pause a queue: no node claims its jobs until it is resumed; running jobs go on (audited)")
            .WithDescription("Pausing a paused queue changes nothing: outcome already_paused, paused_at kept from the first pause, not audited. "
                + "A name that is not a queue name (1–64 lower-case letters, digits, '.', '-' or '_'): 400 job.invalid_queue.");

        jobs.MapPost("/queues/{queue}/resume", async Task<Ok<JobQueueActionResultDto>> (string queue, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ResumeJobQueueCommand(queue), ct)))
            .WithSummary("Resume a paused queue: its waiting jobs are claimed at once (audited)")
            .WithDescription("Resuming a queue that is not paused changes nothing: outcome not_paused, not audited. An invalid name: 400 job.invalid_queue.");
    }
}
