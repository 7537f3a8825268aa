using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Organizations;
using Loupe.Domain.Webhooks;
using MediatR;

namespace Loupe.Application.Webhooks.Queries.GetWebhook;

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
