using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Organizations;
using Loupe.Domain.Webhooks;
using MediatR;

namespace Loupe.Application.Webhooks.Commands.RotateWebhookSecret;

/// <summary>Replaces a webhook's signing secret with a new one, answered once (admin); the old one stops signing at once.</summary>
[Authorize(MinimumRole = Role.Admin)]
public sealed record RotateWebhookSecretCommand(Guid Id, VersionPrecondition? IfMatch = null) : IRequest<Versioned<WebhookWithSecretDto>>;

internal sealed class RotateWebhookSecretCommandHandler(
    IRepository<Webhook> webhooks,
    ISecretProtector protector,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<RotateWebhookSecretCommand, Versioned<WebhookWithSecretDto>>
{
    public async Task<Versioned<WebhookWithSecretDto>> Handle(RotateWebhookSecretCommand request, CancellationToken cancellationToken)
    {
        var webhook = await webhooks.FindAsync(request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Webhook", request.Id);
        request.IfMatch?.Check(webhook.RowVersion);
        var secret = WebhookSignature.NewSecret();
        webhook.RotateSecret(protector.Protect(secret), clock.GetUtcNow());
        audit.Record(AuditActions.WebhookSecretRotated, new AuditTarget("webhook", webhook.Id));
        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return new Versioned<WebhookWithSecretDto>(new WebhookWithSecretDto(WebhookDto.From(webhook), secret), webhook.RowVersion);
    }
}
