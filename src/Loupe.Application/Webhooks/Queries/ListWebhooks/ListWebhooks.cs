using Loupe.Application.Common.Paging;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Organizations;
using Loupe.Domain.Webhooks;
using MediatR;

namespace Loupe.Application.Webhooks.Queries.ListWebhooks;

/// <summary>The organization's webhooks (admin), never their secrets; <c>q</c> searches names; sorted by <c>name</c>, <c>created_at</c> or <c>updated_at</c>.</summary>
[Authorize(MinimumRole = Role.Admin)]
public sealed record ListWebhooksQuery(IReadOnlyDictionary<string, string?> Query) : IRequest<PagedResult<WebhookDto>>;

internal sealed class ListWebhooksQueryHandler(IReadStore store, IQueryExecutor executor) : IRequestHandler<ListWebhooksQuery, PagedResult<WebhookDto>>
{
    private static readonly SortWhitelist<Webhook> Sorts = SortWhitelist<Webhook>.For()
        .Field("name", w => w.Name)
        .Field("created_at", w => w.CreatedAt)
        .Field("updated_at", w => w.UpdatedAt)
        .TieBreaker(w => w.Id)
        .Default("name");

    public async Task<PagedResult<WebhookDto>> Handle(ListWebhooksQuery request, CancellationToken cancellationToken)
    {
        var parameters = ListParameters.Parse(request.Query, Sorts);
        var page = await store.Query<Webhook>()
            .ApplyText(parameters.Filter, w => w.Name)
            .ApplyCreatedRange(parameters.Filter, w => w.CreatedAt)
            .ApplyUpdatedRange(parameters.Filter, w => w.UpdatedAt)
            .ToPageAsync(parameters, executor, cancellationToken)
            .ConfigureAwait(false);
        return page.Map(WebhookDto.From);
    }
}
