using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Organizations;
using Loupe.Domain.Webhooks;
using MediatR;

namespace Loupe.Application.Webhooks.Commands.RedeliverDelivery;

/// <summary>
/// Sends a delivery that has ended (succeeded, failed or dead-lettered) again from its first attempt,
/// under the same idempotency key (admin). One still being attempted is a 409.
/// </summary>
[Authorize(MinimumRole = Role.Admin)]
public sealed record RedeliverDeliveryCommand(Guid Id) : IRequest<WebhookDeliveryDto>;

internal sealed class RedeliverDeliveryCommandHandler(
    IRepository<WebhookDelivery> deliveries,
    IRepository<Webhook> webhooks,
    WebhookAttempts queue,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<RedeliverDeliveryCommand, WebhookDeliveryDto>
{
    public async Task<WebhookDeliveryDto> Handle(RedeliverDeliveryCommand request, CancellationToken cancellationToken)
    {
        var delivery = await deliveries.FindAsync(request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Delivery", request.Id);
        _ = await webhooks.FindAsync(delivery.WebhookId, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Delivery", request.Id);
        var now = clock.GetUtcNow();
        delivery.Redeliver(now);
        queue.EnqueueAttempt(delivery, now);
        audit.Record(AuditActions.WebhookDeliveryRedelivered, new AuditTarget("webhook", delivery.WebhookId), details: new Dictionary<string, string> { ["delivery_id"] = delivery.Id.ToString() });
        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return WebhookDeliveryDto.From(delivery);
    }
}
