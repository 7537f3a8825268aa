using Loupe.Domain.Common;
using Loupe.Domain.Queries;

namespace Loupe.Domain.Alerts;

/// <summary>What an evaluation asks to tell the alert's receivers.</summary>
public enum AlertNotice
{
    None,

    /// <summary><c>alert.triggered</c>: the condition became true, or stays true and <c>rearm_seconds</c> passed since the last notice.</summary>
    Triggered,

    /// <summary><c>alert.resolved</c>: the condition is false again after receivers were told it was true.</summary>
    Resolved,
}

/// <summary>
/// A condition on one saved query's result, evaluated after each successful run of the query, and the
/// state it is in. The state follows every evaluation (<see cref="AlertState.Unknown"/> when the result
/// cannot answer, with a reason); notices follow what the receivers were last told, so an
/// <see cref="AlertState.Unknown"/> in between never repeats nor swallows one:
/// <list type="bullet">
/// <item>triggered when the condition is true and receivers were not told so (the last notice was none or
/// <c>resolved</c>), or were told longer than <see cref="RearmSeconds"/> ago (no repeat when it is null);</item>
/// <item>resolved when the condition is false and the last notice was <c>triggered</c>;</item>
/// <item>a muted alert changes state but notifies nobody (and what receivers were told stays as it was);</item>
/// <item>only a run newer than the last one evaluated counts: a late or repeated evaluation changes nothing.</item>
/// </list>
/// </summary>
public sealed class Alert : ArchivableAggregateRoot, ITenantOwned
{
    public const int NameMaxLength = 255;
    public const int MinRearmSeconds = 60;
    public const int MaxRearmSeconds = 30 * 24 * 3_600;
    public const int MaxWebhooks = 20;

    private Alert(Guid id, Guid organizationId, Guid queryId, string name, Guid? ownerId, DateTimeOffset createdAt)
        : base(id, createdAt)
    {
        OrganizationId = organizationId;
        QueryId = queryId;
        Name = name;
        OwnerId = ownerId;
        CreatedAt = createdAt;
        Condition = null!;
        WebhookIds = [];
        StateReason = AlertReasons.NotEvaluated;
    }

    public Guid OrganizationId { get; private set; }

    /// <summary>The saved query whose results it evaluates; fixed for its lifetime.</summary>
    public Guid QueryId { get; private set; }

    public string Name { get; private set; }

    public AlertCondition Condition { get; private set; }

    /// <summary>Seconds after which a notice is repeated while the condition stays true; null: never repeated.</summary>
    public int? RearmSeconds { get; private set; }

    public bool Muted { get; private set; }

    /// <summary>Webhooks told of this alert's notices besides those of the organization subscribed to the event.</summary>
    public IReadOnlyList<Guid> WebhookIds { get; private set; }

    public AlertState State { get; private set; }

    /// <summary>Why the state is <see cref="AlertState.Unknown"/> (one of <see cref="AlertReasons"/>); null otherwise.</summary>
    public string? StateReason { get; private set; }

    /// <summary>What the last evaluation observed (a short summary), when it could.</summary>
    public string? Observed { get; private set; }

    /// <summary>The finish time of the run last evaluated: only a newer run is evaluated.</summary>
    public DateTimeOffset? LastEvaluatedAt { get; private set; }

    public Guid? LastRunId { get; private set; }

    /// <summary>When the state last became <see cref="AlertState.Triggered"/> from another state.</summary>
    public DateTimeOffset? LastTriggeredAt { get; private set; }

    /// <summary>The last notice receivers were given (<see cref="AlertNotice.None"/> before any).</summary>
    public AlertNotice LastNotice { get; private set; }

    public DateTimeOffset? LastNotifiedAt { get; private set; }

    public Guid? OwnerId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The stored row's version, set by the store on every save; clients send it back (<c>If-Match</c>).</summary>
    public uint RowVersion { get; private set; }

    /// <summary>An alert on a query of the same organization; the query may not be archived. It starts <see cref="AlertState.Unknown"/>.</summary>
    public static Alert Create(
        Guid id, SavedQuery query, Guid ownerId, string? name, AlertCondition condition, int? rearmSeconds, bool muted, IEnumerable<Guid>? webhookIds, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(condition);
        if (query.IsArchived)
        {
            throw new DomainException(AlertErrors.QueryArchived);
        }

        return new Alert(id, query.OrganizationId, query.Id, CheckName(name), ownerId, now)
        {
            Condition = condition,
            RearmSeconds = CheckRearm(rearmSeconds),
            Muted = muted,
            WebhookIds = CheckWebhooks(webhookIds),
        };
    }

    public void Rename(string? name, DateTimeOffset now)
    {
        EnsureActive();
        var checkedName = CheckName(name);
        if (checkedName != Name)
        {
            Name = checkedName;
            UpdatedAt = now;
        }
    }

    /// <summary>A new condition makes the state <see cref="AlertState.Unknown"/> until the next run is evaluated.</summary>
    public void ChangeCondition(AlertCondition condition, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(condition);
        EnsureActive();
        if (condition != Condition)
        {
            Condition = condition;
            State = AlertState.Unknown;
            StateReason = AlertReasons.NotEvaluated;
            Observed = null;
            UpdatedAt = now;
        }
    }

    public void Rearm(int? rearmSeconds, DateTimeOffset now)
    {
        EnsureActive();
        var checkedRearm = CheckRearm(rearmSeconds);
        if (checkedRearm != RearmSeconds)
        {
            RearmSeconds = checkedRearm;
            UpdatedAt = now;
        }
    }

    public void Mute(bool muted, DateTimeOffset now)
    {
        EnsureActive();
        if (muted != Muted)
        {
            Muted = muted;
            UpdatedAt = now;
        }
    }

    public void NotifyWebhooks(IEnumerable<Guid>? webhookIds, DateTimeOffset now)
    {
        EnsureActive();
        var checkedIds = CheckWebhooks(webhookIds);
        if (!checkedIds.SequenceEqual(WebhookIds))
        {
            WebhookIds = checkedIds;
            UpdatedAt = now;
        }
    }

    /// <summary>
    /// Takes the evaluation of run <paramref name="runId"/>, which finished at <paramref name="runFinishedAt"/>,
    /// at <paramref name="now"/>. Returns the notice to send (none for a run not newer than the last evaluated).
    /// An archived alert is not evaluated.
    /// </summary>
    public AlertNotice Record(AlertEvaluation evaluation, Guid runId, DateTimeOffset runFinishedAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        if (IsArchived || (LastEvaluatedAt is { } last && runFinishedAt <= last))
        {
            return AlertNotice.None;
        }

        LastEvaluatedAt = runFinishedAt;
        LastRunId = runId;
        if (evaluation.State == AlertState.Triggered && State != AlertState.Triggered)
        {
            LastTriggeredAt = now;
        }

        State = evaluation.State;
        StateReason = evaluation.State == AlertState.Unknown ? evaluation.Reason ?? AlertReasons.NotEvaluated : null;
        Observed = evaluation.Observed;

        var notice = evaluation.State switch
        {
            AlertState.Triggered when LastNotice != AlertNotice.Triggered => AlertNotice.Triggered,
            AlertState.Triggered when RearmSeconds is { } rearm && now - LastNotifiedAt!.Value >= TimeSpan.FromSeconds(rearm) => AlertNotice.Triggered,
            AlertState.Ok when LastNotice == AlertNotice.Triggered => AlertNotice.Resolved,
            _ => AlertNotice.None,
        };
        if (notice == AlertNotice.None || Muted)
        {
            return AlertNotice.None;
        }

        LastNotice = notice;
        LastNotifiedAt = now;
        return notice;
    }

    protected override DomainError ArchivedError => AlertErrors.Archived;

    private static string CheckName(string? name) =>
        ItemText.Name(name, NameMaxLength, AlertErrors.NameRequired, AlertErrors.NameTooLong, AlertErrors.NulCharacter);

    /// <summary>What is wrong with this rearm delay, or null.</summary>
    public static DomainError? CheckRearmSeconds(int? rearmSeconds) =>
        rearmSeconds is null or (>= MinRearmSeconds and <= MaxRearmSeconds) ? null : AlertErrors.RearmOutOfRange;

    /// <summary>What is wrong with these webhook ids, or null.</summary>
    public static DomainError? CheckWebhookIds(IReadOnlyCollection<Guid>? webhookIds)
    {
        if (webhookIds is null)
        {
            return null;
        }

        if (webhookIds.Count > MaxWebhooks)
        {
            return AlertErrors.TooManyWebhooks;
        }

        return webhookIds.Contains(Guid.Empty) || webhookIds.Distinct().Count() != webhookIds.Count ? AlertErrors.WebhookIdInvalid : null;
    }

    private static int? CheckRearm(int? rearmSeconds) =>
        CheckRearmSeconds(rearmSeconds) is { } error ? throw new DomainException(error) : rearmSeconds;

    private static Guid[] CheckWebhooks(IEnumerable<Guid>? webhookIds)
    {
        var ids = webhookIds?.ToArray() ?? [];
        return CheckWebhookIds(ids) is { } error ? throw new DomainException(error) : ids;
    }
}
