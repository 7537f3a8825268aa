using Loupe.Domain.Common;
using Loupe.Domain.Queries;
using Loupe.Domain.Queries.Parameters;
using Loupe.Domain.Runs;

namespace Loupe.Domain.Schedules;

/// <summary>
/// Runs one saved query with fixed parameter values at the times of a cron expression, read in an
/// IANA time zone. <see cref="NextRunAt"/> is the one source of truth for when it fires next: set
/// while the schedule is enabled and active, null otherwise. Firing (<see cref="Fire"/>) fires once
/// however many times were missed (after downtime, one catch-up run) and moves
/// <see cref="NextRunAt"/> past now. Every failed run is counted (<see cref="RecordRunFinished"/>);
/// after <see cref="ScheduleRules.PauseAfterFailures"/> in a row the schedule pauses itself, and
/// enabling it again starts the count anew. Archiving keeps it, stopped, until restored (as every item
/// is archived, <see cref="ArchivableAggregateRoot"/>): archived, it has no next time, and restoring it
/// (<see cref="Restore(IFireTimes, DateTimeOffset)"/>) computes its next time from then.
/// </summary>
public sealed class Schedule : ArchivableAggregateRoot, ITenantOwned
{
    public const int NameMaxLength = 255;
    public const int CronMaxLength = 200;
    public const int TimeZoneMaxLength = 64;
    public const int PausedReasonMaxLength = 500;

    private Schedule(
        Guid id, Guid organizationId, Guid queryId, string name, string cron, string timeZone, Guid? ownerId, DateTimeOffset createdAt)
        : base(id, createdAt)
    {
        OrganizationId = organizationId;
        QueryId = queryId;
        Name = name;
        Cron = cron;
        TimeZone = timeZone;
        OwnerId = ownerId;
        CreatedAt = createdAt;
        Tags = [];
        Parameters = new Dictionary<string, ParameterValue>(StringComparer.Ordinal);
    }

    public Guid OrganizationId { get; private set; }

    /// <summary>The saved query it runs; fixed for its lifetime.</summary>
    public Guid QueryId { get; private set; }

    public string Name { get; private set; }

    /// <summary>The values it runs the query with, by parameter name (a parameter left out takes its default).</summary>
    public IReadOnlyDictionary<string, ParameterValue> Parameters { get; private set; }

    /// <summary>5 fields, or 6 with seconds first (<see cref="IFireTimes"/>).</summary>
    public string Cron { get; private set; }

    /// <summary>The IANA zone the cron expression's wall-clock times are read in.</summary>
    public string TimeZone { get; private set; }

    public bool Enabled { get; private set; }

    /// <summary>Normalized as query tags are (<see cref="QueryTags"/>).</summary>
    public IReadOnlyList<string> Tags { get; private set; }

    /// <summary>When it fires next; null while disabled, archived, or when the expression has no time left.</summary>
    public DateTimeOffset? NextRunAt { get; private set; }

    /// <summary>The run it started last (fired or triggered); its status and time below.</summary>
    public Guid? LastRunId { get; private set; }

    public RunStatus? LastRunStatus { get; private set; }

    public DateTimeOffset? LastRunAt { get; private set; }

    /// <summary>Its runs that failed since the last one that succeeded (or since it was enabled).</summary>
    public int ConsecutiveFailures { get; private set; }

    /// <summary>Why its last failed run failed (kept after a success, to show what went wrong last).</summary>
    public string? LastError { get; private set; }

    /// <summary>Why it stopped itself; null unless it was paused by its failures (cleared when enabled).</summary>
    public string? PausedReason { get; private set; }

    /// <summary>Who created it; null once that user has been removed from the organization.</summary>
    public Guid? OwnerId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The stored row's version, set by the store on every save; clients send it back (<c>If-Match</c>).</summary>
    public uint RowVersion { get; private set; }

    /// <summary>
    /// A schedule of a query of the same organization (not archived), its values checked against the
    /// query's parameters as a run's are, its expression and zone checked against <paramref name="rules"/>.
    /// </summary>
    public static Schedule Create(
        Guid id,
        SavedQuery query,
        Guid ownerId,
        string? name,
        IReadOnlyDictionary<string, ParameterValue>? parameters,
        string? cron,
        string? timeZone,
        bool enabled,
        IEnumerable<string?>? tags,
        IFireTimes times,
        ScheduleRules rules,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.IsArchived)
        {
            throw new DomainException(ScheduleErrors.QueryArchived);
        }

        var schedule = new Schedule(
            id, query.OrganizationId, query.Id, CheckName(name), CheckCron(cron, times, rules), CheckTimeZone(timeZone).Id, ownerId, now)
        {
            Parameters = CheckParameters(query, parameters),
            Tags = Retagged(tags),
        };
        if (enabled)
        {
            schedule.Start(times, now);
        }

        return schedule;
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

    public void Retag(IEnumerable<string?> tags, DateTimeOffset now)
    {
        EnsureActive();
        var normalized = Retagged(tags);
        if (!normalized.SequenceEqual(Tags, StringComparer.Ordinal))
        {
            Tags = normalized;
            UpdatedAt = now;
        }
    }

    /// <summary>New values for the query's parameters, checked against its definitions now.</summary>
    public void ChangeParameters(SavedQuery query, IReadOnlyDictionary<string, ParameterValue>? parameters, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(query);
        EnsureActive();
        if (query.Id != QueryId)
        {
            throw new ArgumentException("The values are checked against the schedule's own query.", nameof(query));
        }

        Parameters = CheckParameters(query, parameters);
        UpdatedAt = now;
    }

    /// <summary>A new expression or zone (either may be the current one); the next time is computed anew from now.</summary>
    public void Reschedule(string? cron, string? timeZone, IFireTimes times, ScheduleRules rules, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(times);
        EnsureActive();
        var checkedCron = CheckCron(cron, times, rules);
        var zone = CheckTimeZone(timeZone).Id;
        if (checkedCron == Cron && zone == TimeZone)
        {
            return;
        }

        Cron = checkedCron;
        TimeZone = zone;
        if (Enabled)
        {
            NextRunAt = times.NextAfter(Cron, Zone, now);
        }

        UpdatedAt = now;
    }

    /// <summary>Starts firing from now on; enabling a paused schedule starts its failure count anew.</summary>
    public void Enable(IFireTimes times, DateTimeOffset now)
    {
        EnsureActive();
        if (Enabled)
        {
            return;
        }

        Start(times, now);
        UpdatedAt = now;
    }

    /// <summary>Stops firing; triggering by hand still works.</summary>
    public void Disable(DateTimeOffset now)
    {
        EnsureActive();
        if (!Enabled)
        {
            return;
        }

        Enabled = false;
        NextRunAt = null;
        UpdatedAt = now;
    }

    /// <summary>True when it is enabled, active and its next time has come.</summary>
    public bool IsDue(DateTimeOffset now) => Enabled && !IsArchived && NextRunAt is { } next && next <= now;

    /// <summary>
    /// Fires once for its due time, however many of its times passed since (one catch-up run after
    /// downtime), and moves <see cref="NextRunAt"/> to its first time after now. The caller queues
    /// the run and records it (<see cref="RecordRunStarted"/>) in the same save.
    /// </summary>
    /// <returns>The time it was due at (the slot this firing is for).</returns>
    public DateTimeOffset Fire(IFireTimes times, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(times);
        if (!IsDue(now))
        {
            throw new InvalidOperationException("Only a due schedule fires.");
        }

        var due = NextRunAt!.Value;
        NextRunAt = times.NextAfter(Cron, Zone, now);
        return due;
    }

    /// <summary>The run it fired or was triggered with, queued at <paramref name="at"/>.</summary>
    public void RecordRunStarted(Guid runId, DateTimeOffset at)
    {
        LastRunId = runId;
        LastRunStatus = RunStatus.Queued;
        LastRunAt = at;
    }

    /// <summary>
    /// A run of this schedule finished. A success ends the failure count; a failure adds one and keeps
    /// its error, and the failure that reaches <see cref="ScheduleRules.PauseAfterFailures"/> in a row
    /// pauses an enabled schedule. Any run of the schedule counts, not only its latest.
    /// </summary>
    public RunOutcome RecordRunFinished(Guid runId, RunStatus status, string? error, ScheduleRules rules, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (!status.IsFinished())
        {
            throw new ArgumentException("Only a finished run is recorded.", nameof(status));
        }

        if (runId == LastRunId)
        {
            LastRunStatus = status;
        }

        if (status == RunStatus.Succeeded)
        {
            ConsecutiveFailures = 0;
            return RunOutcome.Succeeded;
        }

        return Failed(string.IsNullOrWhiteSpace(error) ? $"The run ended {status.ToName()}." : error, rules, now);
    }

    /// <summary>
    /// A firing that could not queue its run (the query was archived, a value no longer fits its
    /// parameter, the data source is gone): a failure like a failed run, counted the same way.
    /// </summary>
    public RunOutcome RecordFiringRefused(string reason, ScheduleRules rules, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ArgumentNullException.ThrowIfNull(rules);
        return Failed(reason, rules, now);
    }

    private RunOutcome Failed(string error, ScheduleRules rules, DateTimeOffset now)
    {
        ConsecutiveFailures++;
        LastError = Truncate(error, ScheduleErrors.LastErrorMaxLength);
        if (Enabled && ConsecutiveFailures >= rules.PauseAfterFailures)
        {
            Enabled = false;
            NextRunAt = null;
            PausedReason = $"Paused after {ConsecutiveFailures} failed runs in a row; the last: {Truncate(LastError, 300)}";
            UpdatedAt = now;
            return RunOutcome.Paused;
        }

        return RunOutcome.Failed;
    }

    /// <summary>Archived, it has no next time: archiving stops it (by any path, <see cref="ArchivableAggregateRoot.Archive"/>).</summary>
    protected override void OnArchived() => NextRunAt = null;

    /// <summary>
    /// Brings an archived schedule back: an enabled one fires again from now on, at its first time
    /// after <paramref name="now"/> (the times it was archived through are not caught up); a disabled
    /// one stays without a next time. Restore a schedule this way, not by the item's
    /// <see cref="ArchivableAggregateRoot.Restore"/> alone, which cannot compute its next time.
    /// </summary>
    /// <returns>Whether it was archived until now (false: it was active, and nothing changed).</returns>
    public bool Restore(IFireTimes times, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(times);
        if (!Restore(now))
        {
            return false;
        }

        NextRunAt = Enabled ? times.NextAfter(Cron, Zone, now) : null;
        return true;
    }

    protected override DomainError ArchivedError => ScheduleErrors.Archived;

    /// <summary>The zone of <see cref="TimeZone"/> (checked when it was set).</summary>
    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    /// <summary>What is wrong with these tags (the rules of query tags, under the schedule's own codes), or null.</summary>
    public static DomainError? CheckTags(IEnumerable<string?>? tags) => QueryTags.Check(tags) switch
    {
        null => null,
        var error when error == SavedQueryErrors.TooManyTags => ScheduleErrors.TooManyTags,
        _ => ScheduleErrors.TagInvalid,
    };

    /// <summary>The expression, trimmed, when <paramref name="times"/> reads it and it fires no more often than the rules allow.</summary>
    public static string CheckCron(string? cron, IFireTimes times, ScheduleRules rules)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(rules);
        var trimmed = cron?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            throw new DomainException(ScheduleErrors.CronRequired);
        }

        if (trimmed.Length > CronMaxLength)
        {
            throw new DomainException(ScheduleErrors.CronInvalid($"A cron expression has at most {CronMaxLength} characters."));
        }

        if (times.Problem(trimmed) is { } problem)
        {
            throw new DomainException(ScheduleErrors.CronInvalid(problem));
        }

        var shortest = times.ShortestInterval(trimmed);
        if (shortest < rules.MinimumInterval)
        {
            throw new DomainException(ScheduleErrors.CronTooFrequent(shortest, rules.MinimumInterval));
        }

        if (times.NextAfter(trimmed, TimeZoneInfo.Utc, DateTimeOffset.UnixEpoch) is null)
        {
            throw new DomainException(ScheduleErrors.CronNeverFires);
        }

        return trimmed;
    }

    /// <summary>The IANA zone of this id (a Windows zone id is refused, so that every stored zone reads the same everywhere).</summary>
    public static TimeZoneInfo CheckTimeZone(string? timeZone)
    {
        if (string.IsNullOrWhiteSpace(timeZone)
            || timeZone.Length > TimeZoneMaxLength
            || !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone)
            || !zone.HasIanaId)
        {
            throw new DomainException(ScheduleErrors.TimeZoneUnknown(timeZone));
        }

        return zone;
    }

    private void Start(IFireTimes times, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(times);
        Enabled = true;
        ConsecutiveFailures = 0;
        PausedReason = null;
        NextRunAt = times.NextAfter(Cron, Zone, now);
    }

    private static Dictionary<string, ParameterValue> CheckParameters(SavedQuery query, IReadOnlyDictionary<string, ParameterValue>? parameters)
    {
        var values = new Dictionary<string, ParameterValue>(StringComparer.Ordinal);
        foreach (var (name, value) in parameters ?? new Dictionary<string, ParameterValue>())
        {
            values[name] = value;
        }

        // The rules a run's values meet: every value names a parameter, has its shape, and every required one is given or defaulted.
        _ = QueryParameters.Bind(query.Sql, query.Parameters, values.ToDictionary(pair => pair.Key, pair => (ParameterValue?)pair.Value, StringComparer.Ordinal));
        return values;
    }

    private static string CheckName(string? name) =>
        ItemText.Name(name, NameMaxLength, ScheduleErrors.NameRequired, ScheduleErrors.NameTooLong, ScheduleErrors.NulCharacter);

    private static string[] Retagged(IEnumerable<string?>? tags) =>
        CheckTags(tags) is { } error ? throw new DomainException(error) : QueryTags.Normalize(tags);

    private static string Truncate(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");

    /// <summary>What recording a finished run did.</summary>
    public enum RunOutcome
    {
        Succeeded,
        Failed,

        /// <summary>It failed, and the failure paused the schedule.</summary>
        Paused,
    }
}
