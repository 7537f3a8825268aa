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

/// <summary>What a queue's name may be: 1–64 lower-case ASCII letters, digits, '.', '-' or '_' (as job kinds).</summary>
public static class JobQueueNames
{
    public const int MaxLength = 64;

    public static bool IsValid(string? name) => IsName(name, MaxLength);

    /// <summary>A name of the engine's (kind or queue): 1–<paramref name="maxLength"/> lower-case ASCII letters, digits, '.', '-' or '_'.</summary>
    public static bool IsName(string? name, int maxLength) =>
        name is { Length: > 0 } && name.Length <= maxLength && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-' or '_');
}
