using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Common;
using Loupe.Domain.Organizations;
using Loupe.Domain.Webhooks;
using MediatR;

namespace Loupe.Application.Webhooks.Commands.TestWebhook;

/// <summary>
/// Sends a <c>webhook.test</c> event to the webhook now, signed like every delivery, and answers what
/// the receiver said (admin). Nothing is stored and the failure count does not move. A signing secret
/// the configured keys cannot decrypt is a 409 (<c>webhook.secret_unreadable</c>): rotate it.
/// </summary>
[Authorize(MinimumRole = Role.Admin)]
public sealed record TestWebhookCommand(Guid Id) : IRequest<WebhookTestDto>;

internal sealed class TestWebhookCommandHandler(
    IRepository<Webhook> webhooks,
    ISecretProtector protector,
    IWebhookSender sender,
    TimeProvider clock) : IRequestHandler<TestWebhookCommand, WebhookTestDto>
{
    public async Task<WebhookTestDto> Handle(TestWebhookCommand request, CancellationToken cancellationToken)
    {
        var webhook = await webhooks.FindAsync(request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Webhook", request.Id);
        string secret;
        try
        {
            secret = protector.Unprotect(webhook.Secret);
        }
        catch (SecretProtectionException unreadable)
        {
            // Its key was removed from configuration: nothing can sign for it until it is rotated.
            throw new DomainException(WebhookErrors.SecretUnreadable, unreadable);
        }

        var deliveryId = Guid.CreateVersion7();
        var body = WebhookBodies.Build(deliveryId, WebhookBodies.TestEventType, webhook.OrganizationId, clock.GetUtcNow(), "{\"webhook_id\":\"" + webhook.Id + "\"}");
        var result = await sender.SendAsync(
            new WebhookMessage(new Uri(webhook.Url), WebhookBodies.TestEventType, deliveryId, secret, body),
            cancellationToken).ConfigureAwait(false);
        var succeeded = result.Error is null && DeliveryOutcomes.Classify(result.ResponseCode) == DeliveryOutcome.Succeeded;
        return new WebhookTestDto(succeeded, result.ResponseCode, result.DurationMs, result.Error);
    }
}
