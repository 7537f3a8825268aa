namespace Loupe.Infrastructure.Jobs;

/// <summary>What can happen to a job; each is one SQL function (or one outcome of one) in migration 0005.</summary>
internal enum JobTransition
{
    /// <summary>A node claims it (<c>loupe_jobs_claim</c>).</summary>
    Claim,

    /// <summary>The handler returned.</summary>
    Succeed,

    /// <summary>The handler threw a <c>RetryableJobException</c>.</summary>
    FailRetryably,

    /// <summary>The handler threw anything else, or no handler knows the kind.</summary>
    FailPermanently,

    /// <summary>The handler threw a <c>JobGivenUpException</c>: dead-lettered at once, attempts left or not.</summary>
    GiveUp,

    /// <summary>The handler stopped after its cancellation was asked for.</summary>
    EndCancelled,

    /// <summary>Its node hands it back at shutdown (<c>loupe_jobs_release</c>).</summary>
    Release,

    /// <summary>Its lease expired and the sweeper took it back (<c>loupe_jobs_sweep</c>).</summary>
    ExpireLease,

    /// <summary>Someone asked to cancel it (<c>loupe_jobs_cancel</c>).</summary>
    RequestCancel,

    /// <summary>Someone put a failed job back in its queue (<c>loupe_jobs_requeue</c>).</summary>
    Requeue,
}

/// <summary>The part of a job the state machine reads and writes.</summary>
internal readonly record struct JobSnapshot(JobState State, int Attempt, int MaxAttempts, bool CancelRequested)
{
    public static JobSnapshot New(int maxAttempts) => new(JobState.Queued, 0, maxAttempts, false);
}

/// <summary>
/// The job life cycle in one pure table. The engine asks it how an attempt ends; the SQL functions of
/// migration 0005 implement the same table, and a model test drives both with random sequences and
/// compares them. Invariants: 0 ≤ attempt ≤ max attempts; a claim is the only step that adds an
/// attempt, and a release gives it back; succeeded and cancelled are final; failed and dead-lettered
/// leave only by a requeue, which resets the attempts; a job whose cancellation was asked for
/// is never queued again.
/// </summary>
internal static class JobStateMachine
{
    /// <summary>The job after <paramref name="transition"/>, or null when the transition does not apply in its state.</summary>
    public static JobSnapshot? Apply(JobSnapshot job, JobTransition transition) => (job.State, transition) switch
    {
        (JobState.Queued, JobTransition.Claim) when job.Attempt < job.MaxAttempts =>
            job with { State = JobState.Running, Attempt = job.Attempt + 1 },
        (JobState.Queued, JobTransition.RequestCancel) => job with { State = JobState.Cancelled },

        (JobState.Running, JobTransition.Succeed) => job with { State = JobState.Succeeded },
        (JobState.Running, JobTransition.FailRetryably) => job with
        {
            State = job.CancelRequested ? JobState.Cancelled
                : job.Attempt < job.MaxAttempts ? JobState.Queued
                : JobState.DeadLettered,
        },
        (JobState.Running, JobTransition.FailPermanently) => job with { State = JobState.Failed },
        (JobState.Running, JobTransition.GiveUp) => job with { State = JobState.DeadLettered },
        (JobState.Running, JobTransition.EndCancelled) => job with { State = JobState.Cancelled },
        (JobState.Running, JobTransition.Release) => job.CancelRequested
            ? job with { State = JobState.Cancelled }
            : job with { State = JobState.Queued, Attempt = job.Attempt - 1 },
        (JobState.Running, JobTransition.ExpireLease) => job with
        {
            State = job.CancelRequested ? JobState.Cancelled
                : job.Attempt >= job.MaxAttempts ? JobState.DeadLettered
                : JobState.Queued,
        },
        (JobState.Running, JobTransition.RequestCancel) => job with { CancelRequested = true },

        (JobState.Failed or JobState.DeadLettered, JobTransition.Requeue) =>
            job with { State = JobState.Queued, Attempt = 0, CancelRequested = false },
        _ => null,
    };
}
