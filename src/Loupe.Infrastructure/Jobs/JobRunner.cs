using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Security;
using Loupe.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Loupe.Infrastructure.Jobs;

/// <summary>
/// Runs one claimed attempt in a scope of its own under the job's organization, and stores how it
/// ended: succeeded, queued again after a backoff, failed, dead-lettered, cancelled or handed back.
/// </summary>
internal sealed class JobRunner(
    JobStore store,
    HeldJobs held,
    WakeSignal wake,
    JobMetrics metrics,
    IJobFailureReporter failures,
    IServiceScopeFactory scopes,
    JobsOptions options,
    TimeProvider time,
    ILogger logger)
{
    public async Task RunAsync(HeldJob attempt)
    {
        var job = attempt.Job;
        using var activity = JobTracing.StartAttempt(job);
        var started = time.GetTimestamp();
        logger.LogAttemptStarted(job.Kind, job.Id, job.Attempt, job.MaxAttempts);
        try
        {
            var ending = await AttemptAsync(attempt).ConfigureAwait(false);
            attempt.MarkFinishing();
            if (attempt.Reason == StopReason.LeaseLost && ending.State is not null)
            {
                // The handler returned after its lease was lost: the job is no longer this attempt's to
                // end (this node may even hold a newer attempt of it, which a write would end instead).
                ending = AttemptEnding.Abandoned(ending.FailureType ?? "-");
            }

            var duration = time.GetElapsedTime(started);
            var written = await WriteAsync(attempt, ending).ConfigureAwait(false);
            metrics.Finished(job.Kind, ending.Outcome, duration, ending.IsFailure);
            JobTracing.End(activity, ending.Outcome, ending.IsFailure || ending.State is null ? ending.FailureType : null);
            if (written && ending.State is JobState.Failed or JobState.DeadLettered)
            {
                failures.Failed(new JobFailure(job.Id, job.Kind, job.Attempt, ending.Outcome, ending.FailureType ?? "-", ending.Cause));
            }

            var level = ending.IsFailure ? LogLevel.Warning : ending.State == JobState.Succeeded ? LogLevel.Debug : LogLevel.Information;
            logger.LogAttemptEnded(level, job.Kind, job.Id, job.Attempt, duration.TotalMilliseconds, ending.Outcome, ending.FailureType ?? "-");
            if (!written && attempt.Reason != StopReason.LeaseLost)
            {
                logger.LogLeaseLost(job.Kind, job.Id, job.Attempt);
            }
        }
        finally
        {
            held.Remove(attempt);
            attempt.Dispose();
            wake.Set();
        }
    }

    /// <summary>Runs the handler once and says how the attempt ended; never throws.</summary>
    private async Task<AttemptEnding> AttemptAsync(HeldJob attempt)
    {
        var job = attempt.Job;
        var snapshot = new JobSnapshot(JobState.Running, job.Attempt, job.MaxAttempts, false);
        try
        {
            var scope = scopes.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                if (job.OrganizationId is { } organizationId)
                {
                    scope.ServiceProvider.GetRequiredService<ITenantScope>().Enter(organizationId);
                }

                var handler = scope.ServiceProvider.GetServices<IJobHandler>().FirstOrDefault(h => h.Kind == job.Kind);
                if (handler is null)
                {
                    return AttemptEnding.Failed(
                        $"No handler for job kind '{job.Kind}' is registered on node {store.Node}.", "UnknownKind", snapshot, JobTransition.FailPermanently);
                }

                var context = new JobContext(job.Id, job.Kind, job.OrganizationId, job.Payload, job.Attempt, job.MaxAttempts);
                await handler.HandleAsync(context, attempt.Token).ConfigureAwait(false);
                return AttemptEnding.Succeeded;
            }
        }
        catch (Exception stopped) when (attempt.Token.IsCancellationRequested)
        {
            return attempt.Reason switch
            {
                StopReason.Cancelled => AttemptEnding.Cancelled,
                StopReason.Shutdown => AttemptEnding.Released,
                _ => AttemptEnding.Abandoned(stopped.GetType().Name),
            };
        }
        catch (RetryableJobException retryable)
        {
            return Retry(snapshot, retryable.Message, nameof(RetryableJobException), retryable);
        }
        catch (JobGivenUpException givenUp)
        {
            return new AttemptEnding(
                JobStateMachine.Apply(snapshot, JobTransition.GiveUp)!.Value.State, false, AttemptEnding.StorableError(givenUp.Message), null, "dead_lettered", nameof(JobGivenUpException), givenUp);
        }
        catch (Exception failure) when (DatabaseFailures.IsTransient(failure))
        {
            // Loupe's own database failed in passing (restarting, unreachable, overloaded): like a retryable error.
            return Retry(snapshot, failure.Message, failure.GetType().Name, failure);
        }
        catch (Exception failure)
        {
            return AttemptEnding.Failed(AttemptEnding.StorableError(failure.Message), failure.GetType().Name, snapshot, JobTransition.FailPermanently, failure);
        }
    }

    /// <summary>An attempt that failed for a reason that may pass: queued again after a backoff, or dead-lettered after the last attempt.</summary>
    private AttemptEnding Retry(JobSnapshot snapshot, string message, string failureType, Exception cause)
    {
        var next = JobStateMachine.Apply(snapshot, JobTransition.FailRetryably)!.Value;
        var retryAt = next.State == JobState.Queued
            ? time.GetUtcNow().UtcDateTime + RetryBackoff.Delay(
                snapshot.Attempt, TimeSpan.FromSeconds(options.RetryBaseSeconds), TimeSpan.FromSeconds(options.RetryMaxSeconds), Random.Shared.NextDouble())
            : (DateTime?)null;
        var outcome = next.State == JobState.Queued ? "retrying" : "dead_lettered";
        return new AttemptEnding(next.State, false, AttemptEnding.StorableError(message), retryAt, outcome, failureType, cause);
    }

    /// <summary>Stores how the attempt ended, trying again for a few seconds if the database is away.</summary>
    private async Task<bool> WriteAsync(HeldJob attempt, AttemptEnding ending)
    {
        if (ending.State is null && !ending.HandBack)
        {
            return false;
        }

        for (var tries = 1; ; tries++)
        {
            try
            {
                return ending.HandBack
                    ? await store.ReleaseAsync([attempt.Job.Id], CancellationToken.None).ConfigureAwait(false) > 0
                    : await store.FinishAsync(attempt.Job.Id, ending.State!.Value, ending.Error, ending.RetryAt, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception failure) when (DatabaseFailures.IsDatabaseFailure(failure) && tries < 4)
            {
                logger.LogWriteRetried(attempt.Job.Kind, attempt.Job.Id, failure.GetType().Name);
                await Task.Delay(TimeSpan.FromSeconds(tries), time, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception failure) when (DatabaseFailures.IsDatabaseFailure(failure))
            {
                // The lease runs out and the sweeper gives the job back: it runs again (at least once).
                logger.LogWriteFailed(attempt.Job.Kind, attempt.Job.Id, failure.GetType().Name);
                return false;
            }
        }
    }
}
