using System.Text.Json;
using Loupe.Application.Common;
using Loupe.Domain.Alerts;

namespace Loupe.Application.Alerts;

/// <summary>
/// An alert as answered. <c>state</c> is <c>unknown</c>, <c>ok</c> or <c>triggered</c>, set by the
/// evaluation after each successful run of the query; <c>state_reason</c> says why it is unknown
/// (<c>not_evaluated</c>, <c>empty_result</c>, <c>missing_column</c>, <c>null_value</c>,
/// <c>non_numeric_value</c>, <c>value_truncated</c>, <c>result_truncated</c>, <c>result_unavailable</c>);
/// <c>observed</c> summarises the value the last evaluation compared. <c>status</c> is <c>active</c> or
/// <c>archived</c> (<c>archived_at</c> set).
/// </summary>
public sealed record AlertDto(
    Guid Id,
    Guid QueryId,
    string Name,
    AlertConditionDto Condition,
    int? RearmSeconds,
    bool Muted,
    IReadOnlyList<Guid> WebhookIds,
    string State,
    string? StateReason,
    string? Observed,
    DateTimeOffset? LastEvaluatedAt,
    DateTimeOffset? LastTriggeredAt,
    string Status,
    Guid? OwnerId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ArchivedAt)
{
    internal static AlertDto From(Alert alert) => new(
        alert.Id,
        alert.QueryId,
        alert.Name,
        AlertConditionDto.From(alert.Condition),
        alert.RearmSeconds,
        alert.Muted,
        alert.WebhookIds,
        alert.State.ToName(),
        alert.StateReason,
        alert.Observed,
        alert.LastEvaluatedAt,
        alert.LastTriggeredAt,
        ItemStatuses.Of(alert.ArchivedAt),
        alert.OwnerId,
        alert.CreatedAt,
        alert.UpdatedAt,
        alert.ArchivedAt);
}

/// <summary>
/// <c>{selector, column, op, value}</c>: <c>selector</c> is <c>first_row</c>, <c>any_row</c>, <c>all_rows</c>,
/// <c>min</c>, <c>max</c> or <c>row_count</c>; <c>column</c> is null for <c>row_count</c>; <c>op</c> is a comparison
/// (greater, greater or equal, less, less or equal, equal, not equal), or <c>contains</c> / <c>not_contains</c> for a text;
/// <c>value</c> is a number or a text.
/// </summary>
public sealed record AlertConditionDto(string Selector, string? Column, string Op, JsonElement Value)
{
    internal static AlertConditionDto From(AlertCondition condition) => new(
        condition.Selector.ToName(),
        condition.Column,
        condition.Operator.ToName(),
        condition.Value.Number is { } number ? JsonSerializer.SerializeToElement(number) : JsonSerializer.SerializeToElement(condition.Value.Text));
}

/// <summary>A condition as a client sends it; checked whole by <see cref="AlertInput"/>.</summary>
public sealed record AlertConditionInput(string? Selector = null, string? Column = null, string? Op = null, JsonElement? Value = null);
