namespace Loupe.Infrastructure.Jobs;

/// <summary>
/// Where the engine tells of jobs that ended for good without succeeding (failed or dead-lettered):
/// an error reporter when one is configured (ADR 0041), nothing otherwise. Attempts that will be
/// retried are not told; neither the job's payload nor its stored error text ever is.
/// </summary>
internal interface IJobFailureReporter
{
    void Failed(JobFailure failure);

    /// <summary>The sweeper dead-lettered jobs whose last attempt's lease expired (their node died with them).</summary>
    void DeadLetteredByLeaseSweep(int count);
}

/// <param name="Outcome">As the engine's metrics and log name it: <c>failed</c> or <c>dead_lettered</c>.</param>
/// <param name="FailureType">The exception's type name, or the engine's own reason (<c>UnknownKind</c>).</param>
/// <param name="Exception">What the handler threw, when it threw.</param>
internal sealed record JobFailure(Guid JobId, string Kind, int Attempt, string Outcome, string FailureType, Exception? Exception);

/// <summary>No error reporter is configured: nothing leaves the process.</summary>
internal sealed class NoJobFailureReporter : IJobFailureReporter
{
    public void Failed(JobFailure failure)
    {
    }

    public void DeadLetteredByLeaseSweep(int count)
    {
    }
}
