using Loupe.Domain.Alerts;

namespace Loupe.Application.Alerts;

/// <summary>
/// The data of <c>alert.triggered</c> and <c>alert.resolved</c>: ids and a summary, never the query's SQL
/// nor its parameter values. <c>webhook_ids</c> are the webhooks the alert names, told besides the
/// organization's webhooks subscribed to the event (each webhook once); <c>observed</c> is the value the condition compared
/// (at most 200 characters).
/// </summary>
internal sealed record AlertEventPayload(
    Guid AlertId,
    string Name,
    Guid QueryId,
    Guid RunId,
    string State,
    AlertEventCondition Condition,
    string? Observed,
    IReadOnlyList<Guid> WebhookIds,
    DateTimeOffset? TriggeredAt,
    DateTimeOffset EvaluatedAt)
{
    public static AlertEventPayload Of(Alert alert, Guid runId, DateTimeOffset now) => new(
        alert.Id,
        alert.Name,
        alert.QueryId,
        runId,
        alert.State.ToName(),
        new AlertEventCondition(alert.Condition.Selector.ToName(), alert.Condition.Column, alert.Condition.Operator.ToName(), (object?)alert.Condition.Value.Number ?? alert.Condition.Value.Text!),
        alert.Observed,
        alert.WebhookIds,
        alert.LastTriggeredAt,
        now);
}

/// <summary>The alert's condition: <c>value</c> is its number or text.</summary>
internal sealed record AlertEventCondition(string Selector, string? Column, string Op, object Value);
