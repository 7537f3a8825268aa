using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Paging;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Organizations;
using Loupe.Domain.Webhooks;
using MediatR;

namespace Loupe.Application.Webhooks.Queries.ListWebhookDeliveries;

/// <summary>
/// A webhook's deliveries (admin), newest first: status, attempts, last response code and time, next
/// attempt. <c>status</c> keeps one status (pending, succeeded, failed, dead_lettered); sorted by
/// <c>created_at</c> or <c>last_attempt_at</c>.
/// </summary>
[Authorize(MinimumRole = Role.Admin)]
public sealed record ListWebhookDeliveriesQuery(Guid WebhookId, IReadOnlyDictionary<string, string?> Query) : IRequest<PagedResult<WebhookDeliveryDto>>;

internal sealed class ListWebhookDeliveriesQueryHandler(IReadStore store, IQueryExecutor executor)
    : IRequestHandler<ListWebhookDeliveriesQuery, PagedResult<WebhookDeliveryDto>>
{
    public static readonly IReadOnlyList<string> Statuses = ["pending", "succeeded", "failed", "dead_lettered"];

    private static readonly SortWhitelist<WebhookDelivery> Sorts = SortWhitelist<WebhookDelivery>.For()
        .Field("created_at", d => d.CreatedAt)
        .Field("last_attempt_at", d => d.LastAttemptAt ?? d.CreatedAt)
        .TieBreaker(d => d.Id)
        .Default("-created_at");

    public async Task<PagedResult<WebhookDeliveryDto>> Handle(ListWebhookDeliveriesQuery request, CancellationToken cancellationToken)
    {
        var parameters = ListParameters.Parse(request.Query, Sorts, Statuses);
        if (await executor.CountAsync(store.Query<Webhook>().Where(w => w.Id == request.WebhookId), cancellationToken).ConfigureAwait(false) == 0)
        {
            throw new NotFoundException("Webhook", request.WebhookId);
        }

        var page = await store.Query<WebhookDelivery>()
            .Where(d => d.WebhookId == request.WebhookId)
            .ApplyStatus(parameters.Filter, d => d.Status, DeliveryStatuses.Parse)
            .ApplyCreatedRange(parameters.Filter, d => d.CreatedAt)
            .ToPageAsync(parameters, executor, cancellationToken)
            .ConfigureAwait(false);
        return page.Map(WebhookDeliveryDto.From);
    }
}
