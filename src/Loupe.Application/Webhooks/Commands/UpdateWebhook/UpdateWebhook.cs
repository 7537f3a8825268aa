using FluentValidation;
using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Connectors;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Patching;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Organizations;
using Loupe.Domain.Webhooks;
using MediatR;

namespace Loupe.Application.Webhooks.Commands.UpdateWebhook;

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
