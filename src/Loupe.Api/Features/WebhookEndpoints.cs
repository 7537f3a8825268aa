using Loupe.Api.Http;
using Loupe.Application.Common.Paging;
using Loupe.Application.Webhooks;
using Loupe.Application.Webhooks.Commands.CreateWebhook;
using Loupe.Application.Webhooks.Commands.DeleteWebhook;
using Loupe.Application.Webhooks.Commands.RedeliverDelivery;
using Loupe.Application.Webhooks.Commands.RotateWebhookSecret;
using Loupe.Application.Webhooks.Commands.TestWebhook;
using Loupe.Application.Webhooks.Commands.UpdateWebhook;
using Loupe.Application.Webhooks.Queries.GetWebhook;
using Loupe.Application.Webhooks.Queries.ListWebhookDeliveries;
using Loupe.Application.Webhooks.Queries.ListWebhooks;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Loupe.Api.Features;

/// <summary>Webhooks (admins only): receivers told about runs, schedules and alerts. The signing secret is answered on create and rotate-secret, never again.</summary>
internal sealed class WebhookEndpoints : IEndpointModule
{
    private const string Path = "/api/v1/webhooks";

    private const string UrlRefusals =
        "400 webhook.url_invalid / webhook.url_not_https (https only outside Development); "
        + "422 webhook.url_forbidden: the host is or resolves to a loopback, private, link-local, unique-local, multicast, unspecified or cloud metadata address "
        + "(an operator may allow on-premises receivers with Webhooks:AllowedHosts).";

    public void MapEndpoints(IEndpointRouteBuilder api)
    {
        var webhooks = api.MapGroup("/webhooks").WithTags("Webhooks");

        webhooks.MapPost(string.Empty, async Task<Created<WebhookWithSecretDto>> (CreateWebhookCommand command, HttpContext http, IMediator mediator, CancellationToken ct) =>
        {
            var created = await mediator.Send(command, ct);
            return TypedResults.Created($"{Path}/{created.Value.Webhook.Id}", EntityTags.Tag(http, created));
        })
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
        .WithSummary("Add a webhook (admin); the answer carries its signing secret, shown this once")
        .WithDescription(UrlRefusals);

        webhooks.MapGet(string.Empty, async Task<Ok<PagedResult<WebhookDto>>> (RawQuery query, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new ListWebhooksQuery(query.Values), ct)))
            .AcceptsQuery(ListQueryParameters.PagedAnd(ListQueryParameters.Text, ListQueryParameters.CreatedAfter, ListQueryParameters.CreatedBefore, ListQueryParameters.UpdatedAfter, ListQueryParameters.UpdatedBefore))
            .WithSummary("List the organization's webhooks (admin; q; sort by name, created_at, updated_at); never their secrets");

        webhooks.MapGet("/{id:guid}", async Task<Results<Ok<WebhookDto>, StatusCodeHttpResult>> (
                Guid id, [FromHeader(Name = EntityTags.IfNoneMatchHeader)] string? ifNoneMatch, HttpContext http, IMediator mediator, CancellationToken ct) =>
                EntityTags.Read(http, await mediator.Send(new GetWebhookQuery(id), ct), ifNoneMatch))
            .Produces(StatusCodes.Status304NotModified)
            .WithSummary("Get a webhook (admin; ETag; If-None-Match answers 304)");

        webhooks.MapPatch("/{id:guid}", async Task<Ok<WebhookDto>> (
                Guid id, UpdateWebhookRequest body, [FromHeader(Name = EntityTags.IfMatchHeader)] string? ifMatch, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(EntityTags.Tag(http, await mediator.Send(body.ToCommand(id, EntityTags.Precondition(ifMatch)), ct))))
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Change a webhook's name, url, events or enabled (admin); enabling starts its failure count again; If-Match answers 412 when stale")
            .WithDescription(UrlRefusals);

        webhooks.MapDelete("/{id:guid}", async Task<NoContent> (
            Guid id, [FromHeader(Name = EntityTags.IfMatchHeader)] string? ifMatch, IMediator mediator, CancellationToken ct) =>
        {
            await mediator.Send(new DeleteWebhookCommand(id, EntityTags.Precondition(ifMatch)), ct);
            return TypedResults.NoContent();
        }).WithSummary("Delete a webhook and its delivery log (admin); If-Match answers 412 when stale");

        webhooks.MapPost("/{id:guid}/rotate-secret", async Task<Ok<WebhookWithSecretDto>> (
                Guid id, [FromHeader(Name = EntityTags.IfMatchHeader)] string? ifMatch, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(EntityTags.Tag(http, await mediator.Send(new RotateWebhookSecretCommand(id, EntityTags.Precondition(ifMatch)), ct))))
            .WithSummary("Replace a webhook's signing secret (admin); the new one is answered this once and signs every delivery from now on");

        webhooks.MapPost("/{id:guid}/test", async Task<Ok<WebhookTestDto>> (Guid id, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new TestWebhookCommand(id), ct)))
            .WithSummary("Send a signed webhook.test event now and answer what the receiver said (admin); nothing is stored")
            .WithDescription(
                "409 webhook.secret_unreadable: the signing secret cannot be decrypted with the configured keys (its key was removed from Secrets:Keys); "
                + "rotate it with rotate-secret.");

        webhooks.MapGet("/{id:guid}/deliveries", async Task<Ok<PagedResult<WebhookDeliveryDto>>> (Guid id, RawQuery query, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new ListWebhookDeliveriesQuery(id, query.Values), ct)))
            .AcceptsQuery(ListQueryParameters.PagedAnd(ListQueryParameters.Status, ListQueryParameters.CreatedAfter, ListQueryParameters.CreatedBefore))
            .WithSummary("A webhook's deliveries, newest first (admin): status (pending, succeeded, failed, dead_lettered), attempts, response code, duration, next attempt");

        api.MapPost("/deliveries/{id:guid}/redeliver", async Task<Ok<WebhookDeliveryDto>> (Guid id, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new RedeliverDeliveryCommand(id), ct)))
            .WithTags("Webhooks")
            .WithSummary("Send a finished delivery again from its first attempt, under the same X-Loupe-Delivery key (admin); one still being attempted is a 409");
    }
}
