using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Organizations;
using Loupe.Domain.Webhooks;
using MediatR;

namespace Loupe.Application.Webhooks.Commands.DeleteWebhook;

/// <summary>Deletes a webhook and its delivery log (admin); deliveries not yet made are dropped. A stale <c>If-Match</c> is a 412.</summary>
[Authorize(MinimumRole = Role.Admin)]
public sealed record DeleteWebhookCommand(Guid Id, VersionPrecondition? IfMatch = null) : IRequest<Unit>;

internal sealed class DeleteWebhookCommandHandler(IRepository<Webhook> webhooks, IAuditTrail audit, IUnitOfWork unitOfWork)
    : IRequestHandler<DeleteWebhookCommand, Unit>
{
    public async Task<Unit> Handle(DeleteWebhookCommand request, CancellationToken cancellationToken)
    {
        var webhook = await webhooks.FindAsync(request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Webhook", request.Id);
        request.IfMatch?.Check(webhook.RowVersion);
        webhooks.Remove(webhook);
        audit.Record(AuditActions.WebhookDeleted, new AuditTarget("webhook", webhook.Id));
        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Unit.Value;
    }
}
