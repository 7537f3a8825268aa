using System.Text.Json;
using System.Text.Json.Serialization;

namespace Loupe.Application.Runs;

/// <summary>
/// A run as answered: where it is, its timing and size, the timeout it was given, the parameters it
/// ran with, when its result expires, why it failed (or why its last attempt did, while it is
/// <c>retrying</c>), and never its SQL. <c>requester_id</c> is the user who asked for it (null once
/// they left). <c>queue_position</c> and <c>next_attempt_at</c> are answered by
/// <c>GET /runs/{id}</c> and by the request that starts a run, not by lists.
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
    bool FromCache,
    DateTimeOffset? ResultExpiresAt = null,
    [property: JsonIgnore] string? StoredParameters = null)
{
    /// <summary>The parameters it ran with, by name (given or default; null: SQL NULL); null when the SQL has none.</summary>
    public JsonElement? Parameters => StoredParameters is null ? null : JsonDocument.Parse(StoredParameters).RootElement.Clone();

    /// <summary>While queued: 1 for the organization's next run to start, counting its runs waiting before it (queued or retrying); null otherwise.</summary>
    public int? QueuePosition { get; init; }

    /// <summary>While retrying: when its next attempt is due (it may start a little later when the queue is busy).</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }
}

/// <summary>
/// Why a run failed: the database's SQLSTATE (or a Loupe code) and its message; for a database's error,
/// the line and column in the SQL as written where it points, and the database's hint and detail for
/// the SQLSTATE classes whose hints and details are shown (docs/errors.md).
/// </summary>
public sealed record RunErrorDto(string Code, string Message, int? Line = null, int? Column = null, string? Hint = null, string? Detail = null);
