using System.Text.Json;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Results;
using Loupe.Domain.Alerts;
using Loupe.Domain.Common;
using Loupe.Domain.Queries;
using Loupe.Domain.Webhooks;

namespace Loupe.Application.Alerts;

/// <summary>
/// Checks what a client sent for an alert against every rule at once, so one 400 names every broken
/// field (<c>condition.op</c>, <c>rearm_seconds</c>…); the aggregate checks its own rules again as it
/// changes. The condition's column is checked against the query's latest result when it has one.
/// </summary>
internal sealed class AlertInput
{
    private readonly List<DomainError> _errors = [];

    /// <summary>The condition, or null with what is wrong recorded.</summary>
    public AlertCondition? Condition(AlertConditionInput? input)
    {
        if (input is null)
        {
            _errors.Add(AlertErrors.ConditionRequired);
            return null;
        }

        var selector = AlertNames.SelectorNamed(input.Selector);
        var op = AlertNames.OperatorNamed(input.Op);
        if (selector is null)
        {
            _errors.Add(AlertErrors.SelectorUnknown);
        }

        if (op is null)
        {
            _errors.Add(AlertErrors.OperatorUnknown);
        }

        var value = ValueOf(input.Value);
        if (selector is null || op is null)
        {
            return null;
        }

        if (AlertCondition.Check(selector.Value, input.Column, op.Value, value) is { } error)
        {
            _errors.Add(error);
            return null;
        }

        return AlertCondition.Create(selector.Value, input.Column, op.Value, value);
    }

    public void Rearm(int? rearmSeconds)
    {
        if (Alert.CheckRearmSeconds(rearmSeconds) is { } error)
        {
            _errors.Add(error);
        }
    }

    /// <summary>
    /// Webhook ids: at most <see cref="Alert.MaxWebhooks"/> non-empty, distinct UUIDs, kept as sent. The
    /// alert's events carry them (<c>webhook_ids</c>): the delivery sends them to these webhooks as well
    /// as to those subscribed to the event.
    /// </summary>
    public void Webhooks(IReadOnlyList<Guid>? webhookIds)
    {
        if (Alert.CheckWebhookIds(webhookIds) is { } error)
        {
            _errors.Add(error);
        }
    }

    /// <summary>The saved query of the caller's organization with this id, or null (recorded as a broken <c>query_id</c>).</summary>
    public async Task<SavedQuery?> QueryAsync(IRepository<SavedQuery> queries, Guid id, CancellationToken cancellationToken)
    {
        var query = id == Guid.Empty ? null : await queries.FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (query is null)
        {
            _errors.Add(AlertErrors.QueryNotFound);
        }

        return query;
    }

    /// <summary>Refuses a column the query's latest result lacks; a query without a result is not checked.</summary>
    public async Task ColumnAsync(ILatestResultColumns latest, Guid queryId, AlertCondition? condition, CancellationToken cancellationToken)
    {
        if (condition?.Column is not { } column)
        {
            return;
        }

        var columns = (await latest.OfQueriesAsync([queryId], cancellationToken).ConfigureAwait(false)).GetValueOrDefault(queryId);
        if (columns is not null && !columns.Contains(column, StringComparer.Ordinal))
        {
            _errors.Add(AlertErrors.ColumnUnknown(column, columns));
        }
    }

    /// <summary>Refuses webhook ids that name no webhook of the caller's organization, listing them.</summary>
    public async Task WebhooksExistAsync(IReadStore store, IQueryExecutor executor, IReadOnlyList<Guid>? webhookIds, CancellationToken cancellationToken)
    {
        if (webhookIds is not { Count: > 0 } || Alert.CheckWebhookIds(webhookIds) is not null)
        {
            return;
        }

        var ids = webhookIds.ToArray();
        var known = await executor.ToListAsync(store.Query<Webhook>().Where(w => ids.Contains(w.Id)).Select(w => w.Id), cancellationToken).ConfigureAwait(false);
        var unknown = ids.Except(known).ToArray();
        if (unknown.Length > 0)
        {
            _errors.Add(AlertErrors.WebhookUnknown(unknown));
        }
    }

    /// <exception cref="ValidationFailedException">Every recorded problem, by field.</exception>
    public void ThrowIfAny()
    {
        if (_errors.Count > 0)
        {
            throw ValidationFailedException.Of(_errors);
        }
    }

    private static AlertValue? ValueOf(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.Number } number when number.TryGetDecimal(out var d) => AlertValue.Of(d),
        { ValueKind: JsonValueKind.String } text => AlertValue.Of(text.GetString()!),
        _ => null,
    };
}
