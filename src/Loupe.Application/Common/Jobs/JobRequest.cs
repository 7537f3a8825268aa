namespace Loupe.Application.Common.Jobs;

/// <summary>A job to run in the background.</summary>
/// <param name="Kind">Which <see cref="IJobHandler"/> runs it, e.g. <c>query.run</c>.</param>
/// <param name="Payload">The handler's input as JSON (ids, not secrets).</param>
/// <param name="OrganizationId">The organization it works for (its running limit applies), or none for instance maintenance.</param>
/// <param name="Priority">Interactive runs go before scheduled ones, which go before maintenance.</param>
/// <param name="MaxAttempts">Attempts before the job is dead-lettered (1–20).</param>
/// <param name="RunAt">Not before this time; none means now.</param>
/// <param name="UniqueKey">
/// When set, a second job with the same key and organization is not enqueued while the first is queued
/// or running: the second <c>Enqueue</c> stores nothing, and the caller's transaction goes on unharmed.
/// </param>
/// <param name="Queue">The queue it waits in; a node claims only from the queues it serves (<c>Jobs:Queues</c>).</param>
public sealed record JobRequest(
    string Kind,
    string Payload,
    Guid? OrganizationId,
    JobPriority Priority = JobPriority.Interactive,
    int MaxAttempts = 3,
    DateTimeOffset? RunAt = null,
    string? UniqueKey = null,
    string Queue = JobRequest.DefaultQueue)
{
    /// <summary>The queue of jobs that name none; every node serves it unless configured otherwise.</summary>
    public const string DefaultQueue = "default";
}

/// <summary>The order jobs are claimed in: lower first.</summary>
public enum JobPriority
{
    Interactive = 0,
    Scheduled = 1,
    Maintenance = 2,
}
