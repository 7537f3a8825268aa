namespace Loupe.Infrastructure.Jobs;

// Rows of the tables of migration 0025 (ADR 0068). Only the engine's functions write them and the
// read model reads them through functions; the model knows them so the schema the migrations build is
// the schema the model expects.

/// <summary>A row of <c>job_nodes</c>: a node of the engine and its last beat.</summary>
internal sealed class JobNodeRow
{
    public string Node { get; init; } = string.Empty;

    /// <summary><c>api</c> or <c>worker</c>.</summary>
    public string Host { get; init; } = string.Empty;

    public string Machine { get; init; } = string.Empty;

    public int ProcessId { get; init; }

    public DateTime StartedAt { get; init; }

    public DateTime HeartbeatAt { get; init; }

    public int Slots { get; init; }

    public int SlotsUsed { get; init; }

    public string[] Queues { get; init; } = [];
}

/// <summary>A row of <c>job_attempts</c>: one claim of a job, opened by the claim and closed by the attempt's end.</summary>
internal sealed class JobAttemptRow
{
    public Guid JobId { get; init; }

    /// <summary>The job's claim number (<c>jobs.claims</c>), never reused.</summary>
    public int Claim { get; init; }

    public int Attempt { get; init; }

    public string Node { get; init; } = string.Empty;

    public DateTime StartedAt { get; init; }

    public DateTime? EndedAt { get; init; }

    public string? Outcome { get; init; }

    public string? Error { get; init; }
}

/// <summary>A row of <c>job_queue_pauses</c>: a queue no node claims from until it is resumed.</summary>
internal sealed class JobQueuePause
{
    public string Queue { get; init; } = string.Empty;

    public DateTime PausedAt { get; init; }
}
