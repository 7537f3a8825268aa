using FluentValidation;
using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Connectors;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Organizations;
using Loupe.Domain.Webhooks;
using MediatR;

namespace Loupe.Application.Webhooks.Commands.CreateWebhook;

/// <summary>
/// Adds a webhook (admin). Its signing secret is made here, answered once in this response, and
/// stored encrypted; the URL must be https (outside Development) and point at a public address
/// (<see cref="WebhookUrlCheck"/>).
/// </summary>
[Authorize(MinimumRole = Role.Admin)]
public sealed record CreateWebhookCommand(string? Name, string? Url, IReadOnlyList<string>? Events, bool? Enabled = null)
    : IRequest<Versioned<WebhookWithSecretDto>>;

internal sealed class CreateWebhookCommandValidator : AbstractValidator<CreateWebhookCommand>
{
    public CreateWebhookCommandValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(Webhook.NameMaxLength);
        RuleFor(c => c.Url).NotEmpty().MaximumLength(WebhookUrl.MaxLength);
        RuleFor(c => c.Events).NotEmpty();
        RuleForEach(c => c.Events).Must(WebhookEvents.IsKnown).WithMessage($"Events are among {string.Join(", ", WebhookEvents.All)}.");
    }
}

internal sealed class CreateWebhookCommandHandler(
    ITenantScope tenant,
    ICurrentUser currentUser,
    IRepository<Webhook> webhooks,
    WebhookSettings settings,
    IHostResolver resolver,
    ISecretProtector protector,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<CreateWebhookCommand, Versioned<WebhookWithSecretDto>>
{
    public async Task<Versioned<WebhookWithSecretDto>> Handle(CreateWebhookCommand request, CancellationToken cancellationToken)
    {
        var url = await WebhookUrlCheck.ParseAllowedAsync(request.Url, settings, resolver, cancellationToken).ConfigureAwait(false);
        var secret = WebhookSignature.NewSecret();
        var webhook = Webhook.Create(
            Guid.CreateVersion7(),
            tenant.RequiredOrganizationId(),
            request.Name!,
            url,
            request.Events!,
            request.Enabled ?? true,
            protector.Protect(secret),
            currentUser.UserId,
            clock.GetUtcNow());
        webhooks.Add(webhook);
        audit.Record(AuditActions.WebhookCreated, new AuditTarget("webhook", webhook.Id));
        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return new Versioned<WebhookWithSecretDto>(new WebhookWithSecretDto(WebhookDto.From(webhook), secret), webhook.RowVersion);
    }
}
