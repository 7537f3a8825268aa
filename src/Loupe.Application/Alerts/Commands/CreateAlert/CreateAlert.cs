using FluentValidation;
using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Results;
using Loupe.Application.Common.Security;
using Loupe.Domain.Alerts;
using Loupe.Domain.Audit;
using Loupe.Domain.Organizations;
using Loupe.Domain.Queries;
using MediatR;

namespace Loupe.Application.Alerts.Commands.CreateAlert;

/// <summary>
/// Adds an alert on a saved query of the caller's organization, owned by the caller. The condition is
/// checked whole; its column must be one of the query's latest result when the query has one
/// (<c>alert.column_unknown</c> at <c>condition.column</c>). It starts <c>unknown</c>
/// (<c>not_evaluated</c>) until the query's next successful run. An archived query is a 409.
/// </summary>
[Authorize(MinimumRole = Role.Editor)]
public sealed record CreateAlertCommand(
    Guid QueryId,
    string? Name,
    AlertConditionInput? Condition,
    int? RearmSeconds = null,
    bool Muted = false,
    IReadOnlyList<Guid>? WebhookIds = null) : IRequest<Versioned<AlertDto>>;

internal sealed class CreateAlertCommandValidator : AbstractValidator<CreateAlertCommand>
{
    public CreateAlertCommandValidator()
    {
        RuleFor(c => c.QueryId).NotEmpty();
        RuleFor(c => c.Name).NotEmpty().MaximumLength(Alert.NameMaxLength);
        RuleFor(c => c.Condition).NotNull();
        RuleFor(c => c.WebhookIds).Must(ids => ids is null || ids.Count <= Alert.MaxWebhooks).WithMessage($"At most {Alert.MaxWebhooks} webhooks.");
    }
}

internal sealed class CreateAlertCommandHandler(
    ICurrentUser currentUser,
    IRepository<SavedQuery> queries,
    IRepository<Alert> alerts,
    ILatestResultColumns latestResults,
    IReadStore store,
    IQueryExecutor executor,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<CreateAlertCommand, Versioned<AlertDto>>
{
    public async Task<Versioned<AlertDto>> Handle(CreateAlertCommand request, CancellationToken cancellationToken)
    {
        var ownerId = currentUser.UserId ?? throw new ForbiddenException("An alert is owned by a user.");
        var input = new AlertInput();
        var condition = input.Condition(request.Condition);
        input.Rearm(request.RearmSeconds);
        input.Webhooks(request.WebhookIds);
        await input.WebhooksExistAsync(store, executor, request.WebhookIds, cancellationToken).ConfigureAwait(false);
        var query = await input.QueryAsync(queries, request.QueryId, cancellationToken).ConfigureAwait(false);
        if (query is not null)
        {
            await input.ColumnAsync(latestResults, query.Id, condition, cancellationToken).ConfigureAwait(false);
        }

        input.ThrowIfAny();

        var now = clock.GetUtcNow();
        var alert = Alert.Create(
            Guid.CreateVersion7(now), query!, ownerId, request.Name, condition!, request.RearmSeconds, request.Muted, request.WebhookIds, now);
        alerts.Add(alert);
        audit.Record(AuditActions.AlertCreated, new AuditTarget("alert", alert.Id));
        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return new Versioned<AlertDto>(AlertDto.From(alert), alert.RowVersion);
    }
}
