using Loupe.Api.Http;
using Loupe.Application.Common.Paging;
using Loupe.Application.Tags.Queries.ListTags;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Loupe.Api.Features;

/// <summary>Tags: the organization's labels with how often each is used.</summary>
internal sealed class TagEndpoints : IEndpointModule
{
    public void MapEndpoints(IEndpointRouteBuilder api) =>
        api.MapGet("/tags", async Task<Ok<PagedResult<TagDto>>> (RawQuery query, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListTagsQuery(query.Values), ct)))
            .WithTags("Tags")
            .AcceptsQuery(ListQueryParameters.Page, ListQueryParameters.PerPage, ListQueryParameters.Sort, ListTagsQuery.KindParameter)
            .WithSummary("The organization's tags with how many active saved queries carry each, most used first unless sorted by name (kind=query, the default and only kind)");
}
