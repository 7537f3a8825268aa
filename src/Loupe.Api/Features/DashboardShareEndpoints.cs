using Loupe.Api.Http;
using Loupe.Api.Security;
using Loupe.Application.Common.Paging;
using Loupe.Application.Dashboards;
using Loupe.Application.Dashboards.Commands.CreateDashboardShare;
using Loupe.Application.Dashboards.Commands.RevokeDashboardShare;
using Loupe.Application.Dashboards.Queries.ListDashboardShares;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Loupe.Api.Features;

/// <summary>
/// A dashboard's share links, made, listed and revoked by its organization's editors, signed in (a
/// link is a credential: API keys cannot make one). What a link shows is <see cref="PublicDashboardEndpoints"/>'s.
/// </summary>
internal sealed class DashboardShareEndpoints : IEndpointModule
{
    public void MapEndpoints(IEndpointRouteBuilder api)
    {
        var shares = api.MapGroup("/dashboards/{id:guid}/shares").WithTags("Dashboards");

        shares.MapPost(string.Empty, async Task<Created<CreatedDashboardShareDto>> (
                Guid id,
                [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] CreateDashboardShareRequest? body,
                IMediator mediator,
                CancellationToken ct) =>
            {
                var created = await mediator.Send((body ?? new CreateDashboardShareRequest()).ToCommand(id), ct);
                return TypedResults.Created($"{DashboardEndpoints.Path}/{id}/shares/{created.Id}", created);
            })
            .RefusesApiKeys()
            .WithSummary("Make a share link of a dashboard (editor, signed in); its token is in this answer only; the body is optional")
            .WithDescription("label: what to call the link; expires_at: when it stops working (in the future; none: until revoked); "
                + "locked_parameters: values of the dashboard's parameters the link shows, checked like a refresh's values (a parameter left out takes "
                + "its default). Anyone holding the token reads the dashboard at /public/dashboards/{token}, without an account. "
                + "409 dashboard.archived for an archived dashboard; 409 dashboard_share.too_many past the live links a dashboard may have.");

        shares.MapGet(string.Empty, async Task<Ok<PagedResult<DashboardShareDto>>> (Guid id, RawQuery query, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListDashboardSharesQuery(id, query.Values), ct)))
            .RefusesApiKeys()
            .AcceptsQuery(ListQueryParameters.PagedAnd(ListQueryParameters.CreatedAfter, ListQueryParameters.CreatedBefore))
            .WithSummary("List a dashboard's share links, active, expired and revoked (editor, signed in; newest first; sort by created_at, expires_at, label); never their tokens");

        shares.MapDelete("/{share_id:guid}", async Task<NoContent> (Guid id, [FromRoute(Name = "share_id")] Guid shareId, IMediator mediator, CancellationToken ct) =>
            {
                await mediator.Send(new RevokeDashboardShareCommand(id, shareId), ct);
                return TypedResults.NoContent();
            })
            .RefusesApiKeys()
            .WithSummary("Revoke a share link (editor, signed in): its token shows nothing from the next request on; revoking again answers the same");
    }
}
