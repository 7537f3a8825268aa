namespace Loupe.Application.Common.Jobs;

/// <summary>
/// Pauses and resumes the engine's queues, for the people who operate the instance: no node claims a job
/// of a paused queue (jobs already running go on), and its jobs wait, queued, until it is resumed.
/// </summary>
public interface IJobQueues
{
    /// <returns>False when the queue was paused already.</returns>
    /// <exception cref="ArgumentException">The name is not a queue name (1–64 lower-case letters, digits, '.', '-' or '_').</exception>
    Task<bool> PauseAsync(string queue, CancellationToken ct);

    /// <returns>False when the queue was not paused.</returns>
    /// <exception cref="ArgumentException">The name is not a queue name.</exception>
    Task<bool> ResumeAsync(string queue, CancellationToken ct);

    /// <summary>The paused queues, by name.</summary>
    Task<IReadOnlyList<QueuePause>> PausedAsync(CancellationToken ct);
}

public sealed record QueuePause(string Queue, DateTimeOffset PausedAt);
