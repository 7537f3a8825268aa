using System.Linq.Expressions;
using Loupe.Domain.Common;
using Loupe.Domain.Organizations;
using Loupe.Domain.Queries.Parameters;

namespace Loupe.Domain.Runs;

/// <summary>
/// One execution of SQL against a data source, in the background. Its SQL is stored as bound (with
/// <c>$1…$n</c>) and its parameter values beside it, so any attempt can run it again. The state
/// machine guards every change: a finished run never changes again, and only the current attempt
/// may finish a running one (a worker presumed dead that comes back is ignored).
/// </summary>
public sealed class QueryRun : AggregateRoot, ITenantOwned
{
    public const int SqlMaxLength = 100_000;
    public const int CacheKeyLength = 64;

    /// <summary>The oldest a cached result may be to be reused instead of running again (max_age_seconds): 31 days.</summary>
    public const int MaxCacheAgeSeconds = 31 * 24 * 3600;

    private QueryRun(
        Guid id,
        Guid organizationId,
        Guid dataSourceId,
        Guid? savedQueryId,
        Guid? requestedBy,
        string sql,
        string parameterValues,
        string cacheKey,
        int timeoutSeconds,
        int maxRows,
        DateTimeOffset queuedAt)
        : base(id)
    {
        OrganizationId = organizationId;
        DataSourceId = dataSourceId;
        SavedQueryId = savedQueryId;
        RequestedBy = requestedBy;
        Sql = sql;
        ParameterValues = parameterValues;
        CacheKey = cacheKey;
        TimeoutSeconds = timeoutSeconds;
        MaxRows = maxRows;
        QueuedAt = queuedAt;
        Status = RunStatus.Queued;
    }

    public Guid OrganizationId { get; private set; }

    public Guid DataSourceId { get; private set; }

    /// <summary>The saved query it ran, or none for ad-hoc SQL.</summary>
    public Guid? SavedQueryId { get; private set; }

    /// <summary>Who asked for it (none once that person is gone, or for a schedule).</summary>
    public Guid? RequestedBy { get; private set; }

    /// <summary>The SQL as run: placeholders already replaced by <c>$1…$n</c>.</summary>
    public string Sql { get; private set; }

    /// <summary>The values of <c>$1…$n</c> as a JSON array of typed values (never logged).</summary>
    public string ParameterValues { get; private set; }

    /// <summary>
    /// The parameters it ran with, by name, as a JSON object in the API's shape (given or default;
    /// null: SQL NULL); null when the SQL has no parameters. Shown to whoever may see the run.
    /// </summary>
    public string? Parameters { get; private set; }

    /// <summary>The SQL as written, with its <c>{{ placeholders }}</c>; null when it is <see cref="Sql"/> itself.</summary>
    public string? SourceSql { get; private set; }

    /// <summary>How <see cref="Sql"/> lines up with <see cref="SourceSql"/> (<c>SqlSourceMap.Encode</c>); null when nothing was replaced.</summary>
    public string? SourceMap { get; private set; }

    /// <summary>A hash of data source, SQL and parameter values: runs with equal keys answer the same question.</summary>
    public string CacheKey { get; private set; }

    public int TimeoutSeconds { get; private set; }

    public int MaxRows { get; private set; }

    public RunStatus Status { get; private set; }

    /// <summary>0 before the first attempt starts; each start (first or again after a lost attempt) adds one.</summary>
    public int Attempt { get; private set; }

    public DateTimeOffset QueuedAt { get; private set; }

    public DateTimeOffset? StartedAt { get; private set; }

    public DateTimeOffset? FinishedAt { get; private set; }

    public long? RowCount { get; private set; }

    public bool? Truncated { get; private set; }

    public long? ResultBytes { get; private set; }

    /// <summary>The attempt whose stored result is the run's result.</summary>
    public int? ResultAttempt { get; private set; }

    /// <summary>When the stored result is removed; none when it is kept (or there is none).</summary>
    public DateTimeOffset? ResultExpiresAt { get; private set; }

    /// <summary>The stored result has been removed by the retention job.</summary>
    public bool ResultExpired { get; private set; }

    public RunError? Error { get; private set; }

    /// <summary>The background job that runs it.</summary>
    public Guid? JobId { get; private set; }

    /// <summary>The schedule that started it; null for a run someone asked for.</summary>
    public Guid? ScheduleId { get; private set; }

    /// <summary>Its schedule has counted its outcome (a finished run of a schedule, once).</summary>
    public bool ScheduleSettled { get; private set; }

    /// <summary>
    /// The stored row's version, set by the store on every save: the API's <c>ETag</c>, so a client
    /// polling a run is answered 304 until the run changes.
    /// </summary>
    public uint RowVersion { get; private set; }

    public long? DurationMs => DurationBetween(StartedAt, FinishedAt);

    public bool HasResult => HasReadableResult(Status, ResultAttempt, ResultExpired);

    /// <summary>
    /// A run's duration in whole milliseconds once it has started and finished. Static, like
    /// <see cref="HasReadableResult"/>, so that a read projection computes it from the stored
    /// columns alone instead of loading the whole run.
    /// </summary>
    public static long? DurationBetween(DateTimeOffset? startedAt, DateTimeOffset? finishedAt) =>
        startedAt is { } started && finishedAt is { } finished
            ? (long)Math.Round((finished - started).TotalMilliseconds)
            : null;

    /// <summary>Whether a run's result can be read: it succeeded, stored its rows, and they have not expired.</summary>
    public static bool HasReadableResult(RunStatus status, int? resultAttempt, bool resultExpired) =>
        status == RunStatus.Succeeded && resultAttempt is not null && !resultExpired;

    /// <summary>
    /// Why the run's result cannot be read, or null when it can: <see cref="RunErrors.NotFinished"/>
    /// while it is queued or running (the result may still come), <see cref="RunErrors.NoResult"/> when
    /// it ended without one (failed, timed out, cancelled), <see cref="RunErrors.ResultExpired"/> once its
    /// stored rows were removed (they never come back). Agrees with <see cref="HasReadableResult"/>.
    /// </summary>
    public DomainError? ResultUnreadableBecause() =>
        Status != RunStatus.Succeeded
            ? Status.IsFinished() ? RunErrors.NoResult(Status) : RunErrors.NotFinished(Status)
            : ResultExpired || ResultAttempt is null ? RunErrors.ResultExpired : null;

    /// <summary>The attempt whose stored rows are the run's result; throws <see cref="ResultUnreadableBecause"/>'s error when it cannot be read.</summary>
    public int ReadableResultAttempt() =>
        ResultUnreadableBecause() is { } error ? throw new DomainException(error) : ResultAttempt!.Value;

    /// <summary>
    /// Who may see the run, its result and its exports: everyone in its organization for a saved
    /// query's run; for ad-hoc SQL only the person who ran it and the organization's admins. Others
    /// are answered as if the run did not exist (404), so an ad-hoc run's existence, SQL's outcome
    /// and data stay private. <see cref="VisibleTo"/> is the same rule for a query in the database.
    /// </summary>
    public bool IsVisibleTo(Guid userId, Role role) =>
        role == Role.Admin || SavedQueryId is not null || RequestedBy == userId;

    /// <summary><see cref="IsVisibleTo"/> as a filter the database applies, for lists and lookups.</summary>
    public static Expression<Func<QueryRun, bool>> VisibleTo(Guid userId, Role role) =>
        role == Role.Admin
            ? r => true
            : r => r.SavedQueryId != null || r.RequestedBy == userId;

    public static QueryRun Queue(
        Guid id,
        Guid organizationId,
        Guid dataSourceId,
        Guid? savedQueryId,
        Guid? requestedBy,
        string sql,
        string parameterValues,
        string cacheKey,
        int timeoutSeconds,
        int maxRows,
        DateTimeOffset now,
        RunSource? source = null)
    {
        if (organizationId == Guid.Empty)
        {
            throw new ArgumentException("A run belongs to an organization.", nameof(organizationId));
        }

        if (string.IsNullOrWhiteSpace(sql))
        {
            throw new DomainException(RunErrors.SqlRequired);
        }

        if (sql.Length > SqlMaxLength)
        {
            throw new DomainException(RunErrors.SqlTooLong);
        }

        ArgumentException.ThrowIfNullOrEmpty(parameterValues);
        ArgumentException.ThrowIfNullOrEmpty(cacheKey);
        ArgumentOutOfRangeException.ThrowIfLessThan(timeoutSeconds, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        return new QueryRun(id, organizationId, dataSourceId, savedQueryId, requestedBy, sql, parameterValues, cacheKey, timeoutSeconds, maxRows, now)
        {
            Parameters = source?.Parameters,
            SourceSql = source?.SourceMap is null ? null : source.SourceSql,
            SourceMap = source?.SourceMap,
        };
    }

    /// <summary>The SQL as written and the parameters, when binding changed the SQL or there were parameters.</summary>
    /// <param name="SourceSql">The SQL with its placeholders.</param>
    /// <param name="SourceMap">The encoded map from the sent SQL to <paramref name="SourceSql"/>; null when nothing was replaced.</param>
    /// <param name="Parameters">The parameters by name as a JSON object; null when there are none.</param>
    public sealed record RunSource(string SourceSql, string? SourceMap, string? Parameters);

    /// <summary>
    /// Where a database's error position (1-based characters in <see cref="Sql"/>) is in the SQL as
    /// written; null when there is none or it lies outside the SQL.
    /// </summary>
    public SqlLocation? Locate(int? databasePosition)
    {
        if (databasePosition is not { } position || SqlLocation.OffsetOfCharacter(Sql, position) is not { } offset)
        {
            return null;
        }

        var written = SourceSql ?? Sql;
        var original = SqlSourceMap.Decode(SourceMap).ToOriginal(offset);
        return SqlLocation.Of(written, original);
    }

    /// <summary>Records the background job that runs it.</summary>
    public void AssignJob(Guid jobId) => JobId = jobId;

    /// <summary>Records the schedule that started it (fired or triggered), whose failure count its outcome joins.</summary>
    public void AssignSchedule(Guid scheduleId) => ScheduleId = scheduleId;

    /// <summary>
    /// Marks a finished run of a schedule as counted by it (<c>Schedule.RecordRunFinished</c>), so
    /// that its outcome is counted once.
    /// </summary>
    public void SettleForSchedule()
    {
        if (ScheduleId is null || !Status.IsFinished())
        {
            throw new InvalidOperationException("Only a finished run of a schedule is counted by it.");
        }

        ScheduleSettled = true;
    }

    /// <summary>
    /// Starts an attempt: from queued, or again from running when the previous attempt was lost (its
    /// worker died). Answers the attempt number, which the attempt presents when it finishes.
    /// </summary>
    public int Start(DateTimeOffset now)
    {
        EnsureNotFinished();
        Status = RunStatus.Running;
        Attempt++;
        StartedAt = now;
        Error = null;
        return Attempt;
    }

    /// <summary>The attempt stored its result; it becomes the run's result.</summary>
    public void Succeed(int attempt, long rowCount, bool truncated, long resultBytes, DateTimeOffset now, DateTimeOffset? resultExpiresAt)
    {
        EnsureCurrentRunningAttempt(attempt);
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        ArgumentOutOfRangeException.ThrowIfNegative(resultBytes);
        Status = RunStatus.Succeeded;
        RowCount = rowCount;
        Truncated = truncated;
        ResultBytes = resultBytes;
        ResultAttempt = attempt;
        ResultExpiresAt = resultExpiresAt;
        FinishedAt = now;
    }

    /// <summary>The attempt failed for good (syntax, permission, data errors, or the last attempt of a retryable one).</summary>
    public void Fail(int attempt, RunError error, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(error);
        EnsureCurrentRunningAttempt(attempt);
        Status = RunStatus.Failed;
        Error = error;
        FinishedAt = now;
    }

    /// <summary>The attempt ran longer than the run's timeout.</summary>
    public void TimeOut(int attempt, RunError error, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(error);
        EnsureCurrentRunningAttempt(attempt);
        Status = RunStatus.TimedOut;
        Error = error;
        FinishedAt = now;
    }

    /// <summary>The attempt met an error that may pass: the run is <c>retrying</c>, waiting for its next attempt, with the error it met.</summary>
    public void Retry(int attempt, RunError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        EnsureCurrentRunningAttempt(attempt);
        Status = RunStatus.Retrying;
        Error = error;
    }

    /// <summary>
    /// A person cancels the run: only the one who asked for it, or an admin of its organization, may.
    /// Someone who may see the run but not cancel it (a saved query's run someone else started) is
    /// refused with 403 <c>run.cancel_not_allowed</c>; someone who may not even see it (another
    /// person's ad-hoc run) must be told it does not exist before this is asked (see
    /// <see cref="IsVisibleTo"/>). A run nobody asked for (a schedule's) is cancelled by admins only.
    /// </summary>
    public void CancelBy(Guid userId, Role role, DateTimeOffset now)
    {
        if (role != Role.Admin && RequestedBy != userId)
        {
            throw new DomainException(RunErrors.CancelNotAllowed);
        }

        Cancel(now);
    }

    /// <summary>Cancels a queued or running run; a finished one cannot be cancelled (409).</summary>
    public void Cancel(DateTimeOffset now)
    {
        EnsureNotFinished();
        Status = RunStatus.Cancelled;
        Error = new RunError(SqlStates.QueryCanceled, "The run was cancelled.");
        FinishedAt = now;
    }

    /// <summary>A run that can no longer start (its data source is gone) fails without an attempt.</summary>
    public void Abandon(RunError error, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(error);
        EnsureNotFinished();
        Status = RunStatus.Failed;
        Error = error;
        FinishedAt = now;
    }

    /// <summary>Keeps the stored result (a saved query's latest) or lets it expire at a new time.</summary>
    public void KeepResultUntil(DateTimeOffset? expiresAt)
    {
        if (Status == RunStatus.Succeeded && !ResultExpired)
        {
            ResultExpiresAt = expiresAt;
        }
    }

    /// <summary>The retention job removed the stored result.</summary>
    public void ExpireResult()
    {
        if (Status == RunStatus.Succeeded)
        {
            ResultExpired = true;
            ResultExpiresAt = null;
        }
    }

    private void EnsureNotFinished()
    {
        if (Status.IsFinished())
        {
            throw new DomainException(RunErrors.AlreadyFinished(Status));
        }
    }

    private void EnsureCurrentRunningAttempt(int attempt)
    {
        EnsureNotFinished();
        if (attempt != Attempt)
        {
            throw new DomainException(RunErrors.StaleAttempt);
        }

        if (Status != RunStatus.Running)
        {
            throw new DomainException(RunErrors.NotRunning(Status));
        }
    }
}
