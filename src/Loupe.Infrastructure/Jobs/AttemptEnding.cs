using Loupe.Domain.Common;

namespace Loupe.Infrastructure.Jobs;

/// <summary>
/// What the engine writes for one attempt: a state to finish it in, or a hand-back (graceful
/// shutdown), or nothing (the lease was lost, another node has the job). <see cref="Cause"/> is what
/// the handler threw, for the error reporter.
/// </summary>
internal sealed record AttemptEnding(
    JobState? State, bool HandBack, string? Error, DateTime? RetryAt, string Outcome, string? FailureType, Exception? Cause = null)
{
    internal const int MaxErrorLength = 4000;

    public static AttemptEnding Succeeded { get; } = new(JobState.Succeeded, false, null, null, "succeeded", null);

    public static AttemptEnding Cancelled { get; } = new(JobState.Cancelled, false, null, null, "cancelled", null);

    public static AttemptEnding Released { get; } = new(null, true, null, null, "handed_back", null);

    public bool IsFailure => State is JobState.Queued or JobState.Failed or JobState.DeadLettered;

    public static AttemptEnding Abandoned(string failureType) => new(null, false, null, null, "lease_lost", failureType);

    public static AttemptEnding Failed(string error, string failureType, JobSnapshot snapshot, JobTransition transition, Exception? cause = null) =>
        new(JobStateMachine.Apply(snapshot, transition)!.Value.State, false, error, null, "failed", failureType, cause);

    /// <summary>
    /// An attempt's error as PostgreSQL can store it: at most <see cref="MaxErrorLength"/> characters,
    /// never cut inside a surrogate pair, with every NUL and unpaired surrogate replaced by U+FFFD. A
    /// NUL would be refused at Bind (22021) and an unpaired surrogate by Npgsql's encoder; either would
    /// leave the job's ending unwritten, the job held until its lease expired.
    /// </summary>
    internal static string StorableError(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var length = Math.Min(message.Length, MaxErrorLength);
        if (length < message.Length && char.IsHighSurrogate(message[length - 1]))
        {
            length--;
        }

        var text = message.AsSpan(0, length);
        if (TextErrors.Check(text, "error") is null)
        {
            return length == message.Length ? message : text.ToString();
        }

        var chars = text.ToArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (chars[i] == '\0' || char.IsSurrogate(chars[i]))
            {
                chars[i] = '\uFFFD';
            }
        }

        return new string(chars);
    }
}
