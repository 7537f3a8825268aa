namespace Loupe.Application.Runs;

/// <summary>
/// A run as answered: where it is, its timing and size, the timeout it was given, and why it failed
/// (never its SQL or parameter values). <c>requester_id</c> is the user who asked for it (null once they left).
/// </summary>
public sealed record RunDto(
    Guid Id,
    string Status,
    Guid DatasourceId,
    Guid? SavedQueryId,
    Guid? RequesterId,
    DateTimeOffset QueuedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    long? DurationMs,
    long? RowCount,
    bool? Truncated,
    int TimeoutSeconds,
    int Attempt,
    RunErrorDto? Error,
    bool HasResult,
    bool FromCache);

/// <summary>Why a run failed: the database's SQLSTATE (or a Loupe code) and its message.</summary>
public sealed record RunErrorDto(string Code, string Message);
