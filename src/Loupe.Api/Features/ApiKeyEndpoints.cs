using Loupe.Api.Http;
using Loupe.Api.Security;
using Loupe.Application.ApiKeys.Commands.CreateApiKey;
using Loupe.Application.ApiKeys.Commands.RevokeApiKey;
using Loupe.Application.ApiKeys.Queries.ListApiKeys;
using Loupe.Application.Common.Paging;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Loupe.Api.Features;

/// <summary>API keys for scripts (docs/overview.md, "Identity and sessions").</summary>
internal sealed class ApiKeyEndpoints : IEndpointModule
{
    public void MapEndpoints(IEndpointRouteBuilder api)
    {
        var keys = api.MapGroup("/api-keys").WithTags("API keys");

        keys.MapPost(string.Empty, async Task<Created<CreatedApiKeyDto>> (CreateApiKeyCommand command, IMediator mediator, CancellationToken ct) =>
        {
            var created = await mediator.Send(command, ct);
            return TypedResults.Created($"/api/v1/api-keys/{created.Id}", created);
        }).WithSummary("Create an API key; its secret is shown in this answer only").RefusesApiKeys();

        keys.MapGet(string.Empty, async Task<Ok<PagedResult<ApiKeyDto>>> (RawQuery query, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new ListApiKeysQuery(query.Values), ct))).RefusesApiKeys()
            .AcceptsQuery(ListQueryParameters.PagedAnd(ListQueryParameters.Text, ListQueryParameters.CreatedAfter, ListQueryParameters.CreatedBefore));

        keys.MapDelete("/{id:guid}", async Task<NoContent> (Guid id, IMediator mediator, CancellationToken ct) =>
        {
            await mediator.Send(new RevokeApiKeyCommand(id), ct);
            return TypedResults.NoContent();
        }).WithSummary("Revoke an API key").RefusesApiKeys();
    }
}
