using Loupe.Api.Http;
using Loupe.Api.RateLimiting;
using Loupe.Application.Common.Paging;
using Loupe.Application.Common.Results;
using Loupe.Application.Runs;
using Loupe.Application.Runs.Commands.CancelRun;
using Loupe.Application.Runs.Commands.CreateRun;
using Loupe.Application.Runs.Commands.RunSavedQuery;
using Loupe.Application.Runs.Queries.ExportRunResults;
using Loupe.Application.Runs.Queries.GetRun;
using Loupe.Application.Runs.Queries.GetRunResults;
using Loupe.Application.Runs.Queries.ListRuns;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Loupe.Api.Features;

/// <summary>Runs: SQL executed in the background, and their stored results.</summary>
internal sealed class RunEndpoints : IEndpointModule
{
    public void MapEndpoints(IEndpointRouteBuilder api)
    {
        var runs = api.MapGroup("/runs").WithTags("Runs");

        runs.MapPost(string.Empty, async Task<Results<Accepted<RunDto>, Ok<RunDto>>> (CreateRunCommand command, IMediator mediator, CancellationToken ct) =>
            Answer(await mediator.Send(command, ct)))
            .RequireRateLimiting(RateLimitPolicies.RunStart)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("Run ad-hoc SQL on a data source in the background (editor); 202 with the run, or 200 with a cached one when max_age_seconds allows; 429 run.queue_full (Retry-After) when the organization already has Runs:MaxQueuedPerOrganization runs waiting");

        api.MapPost("/queries/{id:guid}/runs", async Task<Results<Accepted<RunDto>, Ok<RunDto>>> (
            Guid id, RunSavedQueryRequest body, IMediator mediator, CancellationToken ct) =>
            Answer(await mediator.Send(body.ToCommand(id), ct)))
            .RequireRateLimiting(RateLimitPolicies.RunStart)
            .WithTags("Runs")
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("Run a saved query with parameter values (viewer+); timeout_seconds overrides the query's timeout up to the data source's; 202 with the run, or 200 with a cached one when max_age_seconds allows; 429 run.queue_full (Retry-After) when the organization already has Runs:MaxQueuedPerOrganization runs waiting");

        runs.MapGet(string.Empty, async Task<Ok<PagedResult<RunDto>>> (RawQuery query, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new ListRunsQuery(query.Values), ct)))
            .AcceptsQuery(ListQueryParameters.PagedAnd(ListQueryParameters.Status, ListQueryParameters.QueuedAfter, ListQueryParameters.QueuedBefore, ListRunsQuery.RequesterFilter, ListRunsQuery.DataSourceFilter, ListRunsQuery.SavedQueryFilter))
            .WithSummary("List the organization's runs, newest first (status, datasource_id, saved_query_id, requester_id, queued_after/queued_before; sort by queued_at)");

        runs.MapGet("/{id:guid}", async Task<Results<Ok<RunDto>, StatusCodeHttpResult>> (
                Guid id, [FromHeader(Name = EntityTags.IfNoneMatchHeader)] string? ifNoneMatch, HttpContext http, IMediator mediator, CancellationToken ct) =>
                EntityTags.Read(http, await mediator.Send(new GetRunQuery(id), ct), ifNoneMatch))
            .Produces(StatusCodes.Status304NotModified)
            .WithSummary("Get a run: status, timestamps, duration, row count, truncated, attempt, timeout, error (ETag; If-None-Match answers 304 until it changes)");

        runs.MapPost("/{id:guid}/cancel", async Task<Ok<RunDto>> (Guid id, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new CancelRunCommand(id), ct)))
            .WithSummary("Cancel a queued or running run; the query stops in the database (409 when finished)");

        runs.MapGet("/{id:guid}/results", async Task<Ok<RunResultsDto>> (Guid id, RawQuery query, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new GetRunResultsQuery(id, query.Values), ct)))
            .AcceptsQuery(ListQueryParameters.Page, ListQueryParameters.PerPage)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status410Gone)
            .WithMetadata(ResultCompression.Allowed)
            .WithSummary("One page of a run's result (page, per_page up to 10,000); 409 until it has succeeded, 410 once the result expired")
            .WithDescription(ValuesDescription);

        runs.MapGet("/{id:guid}/results.csv", (
                Guid id, bool? bom, [FromQuery(Name = "escape_formulas")] bool? escapeFormulas, IMediator mediator, CancellationToken ct) =>
                ExportAsync(id, ResultFormat.Csv, new ExportOptions(bom ?? false, escapeFormulas ?? true), mediator, ct))
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status410Gone)
            .WithMetadata(ResultCompression.Allowed)
            .WithSummary("A run's whole result as CSV (RFC 4180), streamed; 409 until it has succeeded, 410 once the result expired")
            .WithDescription(
                "bom=true starts the file with a UTF-8 byte order mark (for spreadsheet programs). Cells a spreadsheet would read as a formula "
                + "(starting with =, +, -, @, tab or carriage return, and not a number) get a single quote first; escape_formulas=false sends them as stored. "
                + "Compressed (gzip, br) when the client accepts it.");

        runs.MapGet("/{id:guid}/results.json", (Guid id, IMediator mediator, CancellationToken ct) => ExportAsync(id, ResultFormat.Json, ExportOptions.Default, mediator, ct))
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status410Gone)
            .WithMetadata(ResultCompression.Allowed)
            .WithSummary("A run's whole result as JSON, streamed; 409 until it has succeeded, 410 once the result expired")
            .WithDescription(ValuesDescription);
    }

    private const string ValuesDescription =
        "Values a browser's JSON.parse reads exactly: integers beyond ±(2^53 − 1) and numerics of more than 15 significant digits "
        + "(and NaN, Infinity) are strings of their exact text; json and jsonb values are JSON values; intervals are ISO 8601 durations. "
        + "Compressed (gzip, br) when the client accepts it.";

    /// <summary>A queued run is 202 with its address; a cached one is 200.</summary>
    internal static Results<Accepted<RunDto>, Ok<RunDto>> Answer(RunDto run) =>
        run.FromCache ? TypedResults.Ok(run) : TypedResults.Accepted($"/api/v1/runs/{run.Id}", run);

    private static async Task<PushStreamHttpResult> ExportAsync(Guid id, ResultFormat format, ExportOptions options, IMediator mediator, CancellationToken ct)
    {
        var export = await mediator.Send(new ExportRunResultsQuery(id, format, options), ct);
        return TypedResults.Stream(stream => export.WriteToAsync(stream, ct), export.ContentType, export.FileName);
    }
}
