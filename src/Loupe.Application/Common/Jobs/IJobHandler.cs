namespace Loupe.Application.Common.Jobs;

/// <summary>
/// Runs the jobs of one <see cref="Kind"/>. The engine resolves it in a fresh scope per attempt, enters
/// the job's organization first (<c>ITenantScope</c>), and delivers each job at least once: a job whose
/// node died is run again, so effects must be idempotent (a run's result is stored once).
/// <list type="bullet">
/// <item>Returning completes the job.</item>
/// <item>A <see cref="RetryableJobException"/> retries it with exponential backoff and jitter while attempts remain, then dead-letters it.</item>
/// <item>Any other exception fails it at once (dead-letter), with the exception's message as its error.</item>
/// <item>When the job is cancelled, <c>ct</c> fires; an <see cref="OperationCanceledException"/> then marks it cancelled.</item>
/// </list>
/// </summary>
public interface IJobHandler
{
    string Kind { get; }

    Task HandleAsync(JobContext context, CancellationToken ct);
}

/// <summary>One attempt of one job.</summary>
/// <param name="Attempt">1 for the first attempt.</param>
public sealed record JobContext(Guid JobId, string Kind, Guid? OrganizationId, string Payload, int Attempt, int MaxAttempts);

/// <summary>The attempt failed for a reason that may pass (connection refused, serialization failure, …): try again later.</summary>
public sealed class RetryableJobException : Exception
{
    public RetryableJobException()
    {
    }

    public RetryableJobException(string message)
        : base(message)
    {
    }

    public RetryableJobException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The attempt failed for a reason that might have passed, but the job is not to be tried again (the
/// work it stands for already gave up and recorded why): the job is dead-lettered now, whatever
/// attempts it has left, so the jobs dashboard shows it beside those that ran out of attempts.
/// </summary>
public sealed class JobGivenUpException : Exception
{
    public JobGivenUpException()
    {
    }

    public JobGivenUpException(string message)
        : base(message)
    {
    }

    public JobGivenUpException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
