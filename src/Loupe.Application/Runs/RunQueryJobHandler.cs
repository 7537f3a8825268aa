using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using Loupe.Application.Alerts;
using Loupe.Application.Common.Connectors;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Results;
using Loupe.Application.Common.Security;
using Loupe.Application.DataSources;
using Loupe.Domain.Common;
using Loupe.Domain.DataSources;
using Loupe.Domain.Runs;
using Microsoft.Extensions.Logging;

namespace Loupe.Application.Runs;

/// <summary>
/// Runs one <see cref="QueryRun"/> (job kind <c>query.run</c>): starts an attempt, reads the data
/// source under the guard straight into the result store, and finishes the run with the outcome.
/// Retryable database errors (connection refused or reset, too many connections, admin shutdown,
/// serialization failure, deadlock) leave the run retrying until its next attempt, and on its last attempt fail it
/// and dead-letter its job (as does giving up a run whose workers kept stopping); syntax, undefined object,
/// permission and data errors fail it at once; a timeout ends it as <c>timed_out</c>. Delivered at
/// least once: a run whose worker died starts again with a new attempt, and only the latest attempt's
/// result counts. A passing failure of Loupe's own database is left to the engine, which tries the job
/// again; any other fault of Loupe's fails the run with <c>LP004</c> (and the job), never leaving it running.
/// A success of a saved query that alerts watch queues their evaluation in the same save (<see cref="AlertEvaluationQueue"/>).
/// </summary>
internal sealed partial class RunQueryJobHandler(
    IRepository<QueryRun> runs,
    IRepository<DataSource> dataSources,
    IDataSourceConnectors connectors,
    ISecretProtector protector,
    IResultStore results,
    IUnitOfWork unitOfWork,
    IDatabaseFailures databaseFailures,
    AlertEvaluationQueue alertEvaluations,
    RunSettings settings,
    TimeProvider clock,
    ILogger<RunQueryJobHandler> logger) : IJobHandler
{
    public const string JobKind = "query.run";

    /// <summary>Engine attempts: more than the run's own, so a run always gets to record why it ended.</summary>
    public const int JobAttempts = 6;

    /// <summary>The run failed inside Loupe (not in the data source, not in passing): the server log has the exception.</summary>
    public const string InternalFailureCode = LoupeErrorCodes.InternalFailure;
    private const int MaxSaveTries = 5;

    private static readonly HashSet<string> RetryableCodes = new(StringComparer.Ordinal)
    {
        QueryExecutionException.ConnectionFailedCode, SqlStates.SqlClientUnableToEstablishConnection, SqlStates.ConnectionDoesNotExist,
        SqlStates.SqlServerRejectedConnection, SqlStates.ConnectionFailure, SqlStates.ProtocolViolation, SqlStates.TooManyConnections,
        SqlStates.AdminShutdown, SqlStates.CrashShutdown, SqlStates.CannotConnectNow, SqlStates.SerializationFailure, SqlStates.DeadlockDetected,
    };

    public string Kind => JobKind;

    public async Task HandleAsync(JobContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var payload = JsonSerializer.Deserialize<Payload>(context.Payload) ?? throw new InvalidOperationException("A query.run job carries a run id.");
        var run = await runs.FindAsync(payload.RunId, ct).ConfigureAwait(false);
        if (run is null || run.Status.IsFinished())
        {
            return;
        }

        var dataSource = await dataSources.FindAsync(run.DataSourceId, ct).ConfigureAwait(false);
        if (dataSource is null)
        {
            run.Abandon(new RunError(LoupeErrorCodes.DataSourceGone, "The data source no longer exists."), clock.GetUtcNow());
            if (await SaveQuietlyAsync(ct).ConfigureAwait(false))
            {
                RunMetrics.Finished(run.Status);
            }

            return;
        }

        // Attempts are counted by the job, not by the run: a graceful hand-back at shutdown gives the
        // job's attempt back, so rolling restarts never use up a run (the run's own number still goes
        // up with every start, to keep each start's stored result apart).
        if (context.Attempt > settings.MaxAttempts)
        {
            // The previous attempts were lost (their workers stopped): give up rather than loop.
            var message = $"The run was interrupted {settings.MaxAttempts} times (its worker stopped, or Loupe's database was unavailable) and was given up.";
            run.Abandon(new RunError(LoupeErrorCodes.Stranded, message), clock.GetUtcNow());
            if (await SaveQuietlyAsync(ct).ConfigureAwait(false))
            {
                RunMetrics.Finished(run.Status);
            }

            throw new JobGivenUpException(message);
        }

        // Changed meanwhile (cancelled, most likely): start from what is stored, unless it finished.
        var attempt = 0;
        if (!await ChangeAsync(run, r => attempt = r.Start(clock.GetUtcNow()), r => !r.Status.IsFinished(), ct).ConfigureAwait(false))
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        Action<QueryRun> finish;
        ExceptionDispatchInfo? jobFailure = null;
        var succeeded = false;
        try
        {
            var stored = await ExecuteAsync(run, dataSource, attempt, ct).ConfigureAwait(false);
            var expiresAt = clock.GetUtcNow() + settings.ResultRetention;
            finish = r => r.Succeed(attempt, stored.RowCount, stored.Truncated, stored.StoredBytes, clock.GetUtcNow(), expiresAt);
            succeeded = true;
        }
        catch (QueryExecutionException failure) when (failure.Code == SqlStates.QueryCanceled && !ct.IsCancellationRequested)
        {
            finish = r => r.TimeOut(attempt, ErrorOf(run, failure), clock.GetUtcNow());
        }
        catch (QueryExecutionException failure) when (RetryableCodes.Contains(failure.Code) && context.Attempt < settings.MaxAttempts)
        {
            await FinishAsync(run, attempt, r => r.Retry(attempt, ErrorOf(run, failure))).ConfigureAwait(false);
            throw new RetryableJobException($"The data source failed with {failure.Code}; the run is tried again.", failure);
        }
        catch (QueryExecutionException failure) when (RetryableCodes.Contains(failure.Code))
        {
            // Out of attempts: the run fails with the data source's code, and its job is dead-lettered (ADR 0023).
            jobFailure = ExceptionDispatchInfo.Capture(new JobGivenUpException($"The data source failed with {failure.Code} on the run's last attempt ({attempt}).", failure));
            finish = r => r.Fail(attempt, ErrorOf(run, failure), clock.GetUtcNow());
        }
        catch (QueryExecutionException failure)
        {
            finish = r => r.Fail(attempt, ErrorOf(run, failure), clock.GetUtcNow());
        }
        catch (SecretProtectionException)
        {
            var unreadable = DataSourceTargets.UnreadablePassword();
            finish = r => r.Fail(attempt, new RunError(unreadable.Code, unreadable.Message), clock.GetUtcNow());
        }
        catch (Exception failure) when (!ct.IsCancellationRequested && !databaseFailures.IsTransient(failure))
        {
            // A fault of Loupe's own (a failure of its database in passing goes to the engine, which tries
            // the job again): the run fails with a code rather than staying "running", and the job fails too.
            LogInternalFailure(logger, failure, run.Id);
            jobFailure = ExceptionDispatchInfo.Capture(failure);
            finish = r => r.Fail(attempt, new RunError(InternalFailureCode, "Loupe failed while running the query; the server log has the details."), clock.GetUtcNow());
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        if (succeeded)
        {
            // The evaluation of the query's alerts is written by the save that stores the success.
            await alertEvaluations.StageAsync(run, CancellationToken.None).ConfigureAwait(false);
        }

        var finished = await FinishAsync(run, attempt, finish).ConfigureAwait(false);
        if (finished)
        {
            RunMetrics.Finished(run.Status);
        }

        jobFailure?.Throw();
        if (!finished)
        {
            // Cancelled (or taken over by a later attempt) meanwhile: this attempt's stored result is not
            // the run's, and the retention job removes it with every other orphaned attempt.
            return;
        }

        if (elapsed >= settings.SlowRunThreshold)
        {
            LogSlowRun(logger, run.Id, run.DataSourceId, (long)elapsed.TotalMilliseconds, run.Status.ToName(), run.RowCount ?? 0);
        }
    }

    private async Task<StoredResult> ExecuteAsync(QueryRun run, DataSource dataSource, int attempt, CancellationToken ct)
    {
        var target = dataSource.TargetOf(protector);
        var request = new QueryRequest(
            run.Sql,
            [.. RunParameterValues.Decode(run.ParameterValues).Select((value, index) => new QueryParameter($"${index + 1}", value))],
            TimeSpan.FromSeconds(run.TimeoutSeconds),
            run.MaxRows,
            settings.MaxResultBytes);
        var writer = await results.BeginAsync(run.Id, attempt, ct).ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            var outcome = await connectors.ConnectorFor(dataSource.Type).ExecuteAsync(target, request, writer, ct).ConfigureAwait(false);
            return await writer.CompleteAsync(outcome, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The database's error as the run shows it: its position as line and column in the SQL the person
    /// wrote (placeholders and all), its hint and detail when their SQLSTATE class is shown.
    /// </summary>
    private static RunError ErrorOf(QueryRun run, QueryExecutionException failure)
    {
        var location = run.Locate(failure.Position);
        return RunError.FromDatabase(failure.Code, failure.Message, location?.Line, location?.Column, failure.Hint, failure.Detail);
    }

    /// <summary>
    /// Applies this attempt's ending and saves it. When the row changed meanwhile, reads it again: if
    /// this attempt is still the running one, the ending is applied again; if the run was cancelled or a
    /// later attempt took over, this attempt's ending is dropped (false).
    /// </summary>
    private Task<bool> FinishAsync(QueryRun run, int attempt, Action<QueryRun> ending) =>
        ChangeAsync(run, ending, r => r.Status == RunStatus.Running && r.Attempt == attempt, CancellationToken.None);

    /// <summary>
    /// Applies <paramref name="change"/> and saves; after a conflict reads the run again and applies it
    /// once more while <paramref name="stillApplies"/> holds (a few times at most). False when it was dropped.
    /// </summary>
    private async Task<bool> ChangeAsync(QueryRun run, Action<QueryRun> change, Func<QueryRun, bool> stillApplies, CancellationToken ct)
    {
        var conflicts = 0;
        try
        {
            return await unitOfWork.SaveWithRetryAsync(
                () => change(run),
                async () =>
                {
                    LogChangeConflict(logger, run.Id, ++conflicts);
                    return await runs.ReloadAsync(run, ct).ConfigureAwait(false) && stillApplies(run);
                },
                ct,
                MaxSaveTries).ConfigureAwait(false);
        }
        catch (ConflictException conflict) when (ConcurrencyRetry.IsConcurrentChange(conflict))
        {
            LogChangeConflict(logger, run.Id, MaxSaveTries);
            return false;
        }
    }

    /// <summary>Saves; false when the run changed meanwhile (cancelled, or taken over by a later attempt).</summary>
    private async Task<bool> SaveQuietlyAsync(CancellationToken ct)
    {
        try
        {
            await unitOfWork.SaveChangesAsync(ct).ConfigureAwait(false);
            return true;
        }
        catch (ConflictException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} changed while a worker was saving it (try {Try}); reading it again")]
    private static partial void LogChangeConflict(ILogger logger, Guid runId, int @try);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId} failed inside Loupe")]
    private static partial void LogInternalFailure(ILogger logger, Exception failure, Guid runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slow run {RunId} on data source {DataSourceId}: {ElapsedMs} ms, {Status}, {RowCount} rows")]
    private static partial void LogSlowRun(ILogger logger, Guid runId, Guid dataSourceId, long elapsedMs, string status, long rowCount);

    /// <summary>The job's payload: the run, nothing else (no SQL, no values).</summary>
    internal sealed record Payload(Guid RunId);
}
