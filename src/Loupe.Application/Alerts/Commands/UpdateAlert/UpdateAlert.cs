using FluentValidation;
using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Patching;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Results;
using Loupe.Application.Common.Security;
using Loupe.Domain.Alerts;
using Loupe.Domain.Audit;
using Loupe.Domain.Organizations;
using MediatR;

namespace Loupe.Application.Alerts.Commands.UpdateAlert;

/// <summary>
/// Changes an alert; fields left out stay as they are. A new condition is checked as on create
/// (its column against the query's latest result) and makes the state <c>unknown</c> until the next run.
/// Its state is never written by a client. An archived alert cannot be changed (409); a stale
/// <c>If-Match</c> is a 412.
/// </summary>
[Authorize(MinimumRole = Role.Editor)]
public sealed record UpdateAlertCommand(
    Guid Id,
    string? Name = null,
    AlertConditionInput? Condition = null,
    bool RearmSent = false,
    int? RearmSeconds = null,
    bool? Muted = null,
    IReadOnlyList<Guid>? WebhookIds = null,
    VersionPrecondition? IfMatch = null,
    IReadOnlyList<string>? RequiredResets = null) : IRequest<Versioned<AlertDto>>;

/// <summary>
/// The body of PATCH /alerts/{id}, a JSON Merge Patch: <c>null</c> resets <c>rearm_seconds</c> (never
/// repeat) and <c>webhook_ids</c> (none); <c>name</c>, <c>condition</c> and <c>muted</c> cannot be reset.
/// <c>condition</c> is replaced whole, never merged member by member.
/// </summary>
public sealed class UpdateAlertRequest : MergePatchBody
{
    public string? Name { get; init => field = Sent(value); }

    public AlertConditionInput? Condition { get; init => field = Sent(value); }

    public int? RearmSeconds { get; init => field = Sent(value); }

    public bool? Muted { get; init => field = Sent(value); }

    public IReadOnlyList<Guid>? WebhookIds { get; init => field = Sent(value); }

    /// <summary>The command, with a reset written as the value that means "the default" to it.</summary>
    public UpdateAlertCommand ToCommand(Guid id, VersionPrecondition? ifMatch) =>
        new(
            id,
            Name,
            Condition,
            RearmSeconds is not null || IsReset(nameof(RearmSeconds), RearmSeconds),
            RearmSeconds,
            Muted,
            IsReset(nameof(WebhookIds), WebhookIds) ? [] : WebhookIds,
            ifMatch,
            RequiredReset(string.Empty, (nameof(Name), Name), (nameof(Condition), Condition), (nameof(Muted), Muted)));
}

internal sealed class UpdateAlertCommandValidator : AbstractValidator<UpdateAlertCommand>
{
    public UpdateAlertCommandValidator()
    {
        this.RefuseRequiredResets(c => c.RequiredResets);
        RuleFor(c => c.Name).NotEmpty().MaximumLength(Alert.NameMaxLength).When(c => c.Name is not null);
        RuleFor(c => c.WebhookIds).Must(ids => ids is null || ids.Count <= Alert.MaxWebhooks).WithMessage($"At most {Alert.MaxWebhooks} webhooks.");
        RuleFor(c => c)
            .Must(c => c.Name is not null || c.Condition is not null || c.RearmSent || c.Muted is not null || c.WebhookIds is not null)
            .When(c => c.RequiredResets is not { Count: > 0 })
            .WithName("body").WithMessage("Give a name, condition, rearm_seconds, muted or webhook_ids to change.");
    }
}

internal sealed class UpdateAlertCommandHandler(
    IRepository<Alert> alerts,
    ILatestResultColumns latestResults,
    IReadStore store,
    IQueryExecutor executor,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<UpdateAlertCommand, Versioned<AlertDto>>
{
    public async Task<Versioned<AlertDto>> Handle(UpdateAlertCommand request, CancellationToken cancellationToken)
    {
        var alert = await alerts.FindAsync(request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Alert", request.Id);
        request.IfMatch?.Check(alert.RowVersion);
        alert.EnsureActive();

        var input = new AlertInput();
        var condition = request.Condition is null ? null : input.Condition(request.Condition);
        if (request.RearmSent)
        {
            input.Rearm(request.RearmSeconds);
        }

        input.Webhooks(request.WebhookIds);
        await input.WebhooksExistAsync(store, executor, request.WebhookIds, cancellationToken).ConfigureAwait(false);
        await input.ColumnAsync(latestResults, alert.QueryId, condition, cancellationToken).ConfigureAwait(false);
        input.ThrowIfAny();

        var now = clock.GetUtcNow();
        if (request.Name is not null)
        {
            alert.Rename(request.Name, now);
        }

        if (condition is not null)
        {
            alert.ChangeCondition(condition, now);
        }

        if (request.RearmSent)
        {
            alert.Rearm(request.RearmSeconds, now);
        }

        if (request.Muted is { } muted)
        {
            alert.Mute(muted, now);
        }

        if (request.WebhookIds is not null)
        {
            alert.NotifyWebhooks(request.WebhookIds, now);
        }

        audit.Record(AuditActions.AlertUpdated, new AuditTarget("alert", alert.Id));
        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return new Versioned<AlertDto>(AlertDto.From(alert), alert.RowVersion);
    }
}
