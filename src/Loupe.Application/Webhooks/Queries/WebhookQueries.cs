using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Paging;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Organizations;
using Loupe.Domain.Webhooks;
using MediatR;

namespace Loupe.Application.Webhooks.Queries;

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

/// <summary>One webhook (admin), never its secret.</summary>
[Authorize(MinimumRole = Role.Admin)]
public sealed record GetWebhookQuery(Guid Id) : IRequest<Versioned<WebhookDto>>;

internal sealed class GetWebhookQueryHandler(IReadStore store, IQueryExecutor executor) : IRequestHandler<GetWebhookQuery, Versioned<WebhookDto>>
{
    public async Task<Versioned<WebhookDto>> Handle(GetWebhookQuery request, CancellationToken cancellationToken)
    {
        var webhook = await executor.FirstOrDefaultAsync(store.Query<Webhook>().Where(w => w.Id == request.Id), cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Webhook", request.Id);
        return new Versioned<WebhookDto>(WebhookDto.From(webhook), webhook.RowVersion);
    }
}

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
