using Loupe.Domain.Common;

namespace Loupe.Domain.Alerts;

/// <summary>Why an alert was refused. Condition errors name their path in the request (<c>condition.op</c>).</summary>
public static class AlertErrors
{
    public static readonly DomainError NameRequired =
        DomainError.Validation("alert.name_required", "name", "A name is required.");

    public static readonly DomainError NameTooLong =
        DomainError.Validation("alert.name_too_long", "name", $"A name has at most {Alert.NameMaxLength} characters.");

    public static readonly DomainError ConditionRequired =
        DomainError.Validation("alert.condition_required", "condition", "A condition {selector, column, op, value} is required.");

    public static readonly DomainError SelectorUnknown = DomainError.Validation(
        "alert.selector_unknown", "condition.selector", $"The selector is one of {string.Join(", ", AlertNames.Selectors)}.");

    public static readonly DomainError OperatorUnknown = DomainError.Validation(
        "alert.operator_unknown", "condition.op", $"The operator is one of {string.Join(" ", AlertNames.Operators)}.");

    public static readonly DomainError ColumnRequired =
        DomainError.Validation("alert.column_required", "condition.column", "This selector compares a column: name it.");

    public static readonly DomainError ColumnNotAllowed =
        DomainError.Validation("alert.column_not_allowed", "condition.column", "row_count counts rows: it names no column.");

    public static readonly DomainError ColumnTooLong = DomainError.Validation(
        "alert.column_too_long", "condition.column", $"A column name has at most {AlertCondition.ColumnMaxLength} characters.");

    /// <summary>The column is not one of the query's latest result (checked when the alert is written); the message names it and the columns there are.</summary>
    public static DomainError ColumnUnknown(string column, IEnumerable<string>? columns) => DomainError.Validation(
        "alert.column_unknown",
        "condition.column",
        $"The query's latest result has no column '{column}' (its columns: {string.Join(", ", (columns ?? []).Take(50))}).");

    public static readonly DomainError ValueRequired =
        DomainError.Validation("alert.value_required", "condition.value", "A value (a number or a text) is required.");

    public static readonly DomainError ValueTooLong = DomainError.Validation(
        "alert.value_too_long", "condition.value", $"A text value has at most {AlertCondition.TextMaxLength:N0} characters.");

    public static readonly DomainError NumberRequired = DomainError.Validation(
        "alert.number_required", "condition.value", "min, max and row_count compare numbers: the value is a number.");

    public static readonly DomainError OperatorNotForText = DomainError.Validation(
        "alert.operator_not_for_text", "condition.op", "A text is compared with =, !=, contains or not_contains.");

    public static readonly DomainError OperatorNeedsText = DomainError.Validation(
        "alert.operator_needs_text", "condition.op", "contains and not_contains compare a text: the value is a text.");

    public static readonly DomainError RearmOutOfRange = DomainError.Validation(
        "alert.rearm_out_of_range", "rearm_seconds", $"rearm_seconds is null (notify once) or {Alert.MinRearmSeconds} to {Alert.MaxRearmSeconds:N0}.");

    public static readonly DomainError TooManyWebhooks =
        DomainError.Validation("alert.too_many_webhooks", "webhook_ids", $"An alert names at most {Alert.MaxWebhooks} webhooks.");

    public static readonly DomainError WebhookIdInvalid =
        DomainError.Validation("alert.webhook_id_invalid", "webhook_ids", "A webhook id is a non-empty UUID, each named once.");

    /// <summary>Webhook ids that name no webhook of the organization; the message lists them.</summary>
    public static DomainError WebhookUnknown(IEnumerable<Guid>? ids) => DomainError.Validation(
        "alert.webhook_unknown", "webhook_ids", $"No webhook of your organization has these ids: {string.Join(", ", ids ?? [])}.");

    public static readonly DomainError QueryNotFound =
        DomainError.Validation("alert.query_not_found", "query_id", "No saved query of your organization has this id.");

    public static readonly DomainError QueryArchived =
        DomainError.Conflict("alert.query_archived", "The query is archived: restore it before adding an alert to it.");

    public static readonly DomainError Archived =
        DomainError.Conflict("alert.archived", "This alert is archived: restore it before changing it.");

    /// <summary>PostgreSQL text cannot hold U+0000, so no stored text may contain it.</summary>
    public static DomainError NulCharacter(string field) =>
        DomainError.Validation("alert.nul_character", field, "The text may not contain the NUL character (U+0000).");
}
