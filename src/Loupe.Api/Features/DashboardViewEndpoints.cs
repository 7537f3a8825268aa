using Loupe.Api.Http;
using Loupe.Api.RateLimiting;
using Loupe.Application.Dashboards.Commands.RefreshDashboard;
using Loupe.Application.Dashboards.Queries.GetDashboardView;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Loupe.Api.Features;

/// <summary>
/// A dashboard as a page shows it (everyone reads), served from the cache of answers (ADR 0056) and
/// revalidated with <c>If-None-Match</c>; and its refresh (editors).
/// </summary>
internal sealed class DashboardViewEndpoints : IEndpointModule
{
    /// <summary>Every answer is the caller's organization's, and is checked with the server before it is reused.</summary>
    public const string CacheControl = "private, must-revalidate";

    public void MapEndpoints(IEndpointRouteBuilder api)
    {
        var dashboards = api.MapGroup("/dashboards").WithTags("Dashboards");

        dashboards.MapGet("/{id:guid}", async Task<IResult> (
                Guid id, [FromHeader(Name = EntityTags.IfNoneMatchHeader)] string? ifNoneMatch, HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                var values = http.Request.Query.ToDictionary(pair => pair.Key, pair => (string?)pair.Value.ToString(), StringComparer.Ordinal);
                var view = await mediator.Send(new GetDashboardViewQuery(id, values), ct);
                http.Response.Headers.ETag = view.ETag;
                http.Response.Headers.CacheControl = CacheControl;
                return EntityTags.NoneMatchHolds(ifNoneMatch, view.ETag)
                    ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
                    : TypedResults.Bytes(view.Json, "application/json");
            })
            .AcceptsQueryPrefix("p_")
            .Produces<DashboardViewDto>(StatusCodes.Status200OK, "application/json")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Get a dashboard with its tiles, each tile's visualization, query summary and the first rows of its latest result (ETag; If-None-Match answers 304)")
            .WithDescription("Dashboard parameter values go in the query string as p_<name>=value (a date range as p_<name>.start and p_<name>.end), "
                + "checked against the dashboard's parameters; a parameter left out takes its default. Each tile's result is the latest of its query "
                + "with the values the tile is given (refresh the dashboard to run them); at most Dashboards:TileRows rows of it. "
                + "Answers are cached per organization, dashboard and values, and dropped when the dashboard, a visualization, a query or a query's result changes. "
                + "The ETag starts with the dashboard's row version: send it as If-Match to change the dashboard.");

        dashboards.MapPost("/{id:guid}/refresh", async Task<Accepted<DashboardRefreshDto>> (
                Guid id,
                [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] RefreshDashboardRequest? body,
                IMediator mediator,
                CancellationToken ct) =>
                TypedResults.Accepted((string?)null, await mediator.Send((body ?? new RefreshDashboardRequest()).ToCommand(id), ct)))
            .RequireRateLimiting(RateLimitPolicies.RunStart)
            .WithSummary("Queue a run of every query of the dashboard with the values its tiles give it, in one transaction (editor); the body is optional")
            .WithDescription("parameters: values of the dashboard's parameters (defaults otherwise); max_age_seconds: skip a query whose latest result with "
                + "those values finished at most this long ago. A query already queued or running with those values, an archived query and one "
                + "whose values cannot be bound are skipped too; skipped says which and why, queued the runs (poll /runs/{run_id}). "
                + "A refresh counts as one run start against RateLimits:RunStartsPerMinute.");
    }
}
