using Loupe.Api.Security;
using Loupe.Application.Dashboards.Queries.GetPublicDashboard;
using MediatR;

namespace Loupe.Api.Features;

/// <summary>
/// A shared dashboard read by whoever holds its link's token, without an account. No credential the
/// request carries is read (a member of another organization opening a link reads it as anyone
/// would); the request counts against the budget of callers nobody is signed in for, by address.
/// </summary>
internal sealed class PublicDashboardEndpoints : IEndpointModule
{
    /// <summary>Never kept by a browser or a proxy: a revoked link must stop at once for everyone.</summary>
    public const string CacheControl = "no-store";

    public void MapEndpoints(IEndpointRouteBuilder api) =>
        api.MapGet("/public/dashboards/{token}", async Task<IResult> (string token, HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                var view = await mediator.Send(new GetPublicDashboardQuery(token), ct);
                http.Response.Headers.CacheControl = CacheControl;
                http.Response.Headers["X-Robots-Tag"] = "noindex, nofollow";
                return TypedResults.Bytes(view.Json, "application/json");
            })
            .WithTags("Dashboards")
            .ForAnonymousCallers()
            .Produces<PublicDashboardDto>(StatusCodes.Status200OK, "application/json")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("A shared dashboard by its link's token (no sign-in): its tiles and the first rows of their latest results, read-only")
            .WithDescription("The link's locked parameter values are used and no others can be given; a parameter it does not lock takes the dashboard's "
                + "default. The answer names nothing that leads elsewhere: no ids of the dashboard, its visualizations, queries or runs, no SQL, nothing "
                + "of a data source. An unknown token, a revoked link, an expiry passed and an archived dashboard are the same 404 dashboard_share.not_found. "
                + "Counted against the per-address budget of callers who are not signed in (RateLimits:GlobalPerMinute).");
}
