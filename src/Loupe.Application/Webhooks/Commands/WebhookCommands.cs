using FluentValidation;
using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Connectors;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Patching;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Application.Webhooks.Delivery;
using Loupe.Domain.Audit;
using Loupe.Domain.Organizations;
using Loupe.Domain.Webhooks;
using MediatR;

namespace Loupe.Application.Webhooks.Commands;

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

/// <summary>Changes a webhook (admin); fields left out stay. Enabling it again starts its failure count from zero. A stale <c>If-Match</c> is a 412.</summary>
[Authorize(MinimumRole = Role.Admin)]
public sealed record UpdateWebhookCommand(
    Guid Id,
    string? Name = null,
    string? Url = null,
    IReadOnlyList<string>? Events = null,
    bool? Enabled = null,
    VersionPrecondition? IfMatch = null,
    IReadOnlyList<string>? RequiredResets = null) : IRequest<Versioned<WebhookDto>>;

/// <summary>The body of PATCH /webhooks/{id}, a JSON Merge Patch; no field can be reset with <c>null</c>.</summary>
public sealed class UpdateWebhookRequest : MergePatchBody
{
    public string? Name { get; init => field = Sent(value); }

    public string? Url { get; init => field = Sent(value); }

    public IReadOnlyList<string>? Events { get; init => field = Sent(value); }

    public bool? Enabled { get; init => field = Sent(value); }

    public UpdateWebhookCommand ToCommand(Guid id, VersionPrecondition? ifMatch = null) =>
        new(id, Name, Url, Events, Enabled, ifMatch, RequiredReset(string.Empty, (nameof(Name), Name), (nameof(Url), Url), (nameof(Events), Events), (nameof(Enabled), Enabled)));
}

internal sealed class UpdateWebhookCommandValidator : AbstractValidator<UpdateWebhookCommand>
{
    public UpdateWebhookCommandValidator()
    {
        this.RefuseRequiredResets(c => c.RequiredResets);
        RuleFor(c => c.Name).NotEmpty().MaximumLength(Webhook.NameMaxLength).When(c => c.Name is not null);
        RuleFor(c => c.Url).NotEmpty().MaximumLength(WebhookUrl.MaxLength).When(c => c.Url is not null);
        RuleFor(c => c.Events).NotEmpty().When(c => c.Events is not null);
        RuleForEach(c => c.Events).Must(WebhookEvents.IsKnown).WithMessage($"Events are among {string.Join(", ", WebhookEvents.All)}.");
        RuleFor(c => c)
            .Must(c => c.Name is not null || c.Url is not null || c.Events is not null || c.Enabled is not null)
            .WithName("body").WithMessage("Give a name, url, events or enabled to change.");
    }
}

internal sealed class UpdateWebhookCommandHandler(
    IRepository<Webhook> webhooks,
    WebhookSettings settings,
    IHostResolver resolver,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<UpdateWebhookCommand, Versioned<WebhookDto>>
{
    public async Task<Versioned<WebhookDto>> Handle(UpdateWebhookCommand request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var webhook = await webhooks.FindAsync(request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Webhook", request.Id);
        request.IfMatch?.Check(webhook.RowVersion);
        if (request.Name is not null)
        {
            webhook.Rename(request.Name, now);
        }

        if (request.Url is not null)
        {
            webhook.ChangeUrl(await WebhookUrlCheck.ParseAllowedAsync(request.Url, settings, resolver, cancellationToken).ConfigureAwait(false), now);
        }

        if (request.Events is not null)
        {
            webhook.Subscribe(request.Events, now);
        }

        if (request.Enabled is { } enabled)
        {
            webhook.SetEnabled(enabled, now);
        }

        audit.Record(AuditActions.WebhookUpdated, new AuditTarget("webhook", webhook.Id));
        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return new Versioned<WebhookDto>(WebhookDto.From(webhook), webhook.RowVersion);
    }
}

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

/// <summary>
/// Sends a <c>webhook.test</c> event to the webhook now, signed like every delivery, and answers what
/// the receiver said (admin). Nothing is stored and the failure count does not move.
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
        var deliveryId = Guid.CreateVersion7();
        var body = WebhookBodies.Build(deliveryId, WebhookBodies.TestEventType, webhook.OrganizationId, clock.GetUtcNow(), "{\"webhook_id\":\"" + webhook.Id + "\"}");
        var result = await sender.SendAsync(
            new WebhookMessage(new Uri(webhook.Url), WebhookBodies.TestEventType, deliveryId, protector.Unprotect(webhook.Secret), body),
            cancellationToken).ConfigureAwait(false);
        var succeeded = result.Error is null && DeliveryOutcomes.Classify(result.ResponseCode) == DeliveryOutcome.Succeeded;
        return new WebhookTestDto(succeeded, result.ResponseCode, result.DurationMs, result.Error);
    }
}

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
