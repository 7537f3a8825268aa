using Loupe.Application.Common.Jobs;

namespace Loupe.Infrastructure.Jobs;

/// <summary>
/// A row of <c>jobs</c> (migration 0005). Infrastructure's own: the domain has no jobs, only the work
/// they do. <c>IJobScheduler.Enqueue</c> adds one to the unit of work; <c>LoupeDbContext</c> writes it
/// with the save (<see cref="JobOutbox"/>); from then on only the SQL functions change it.
/// </summary>
internal sealed class Job
{
    public Guid Id { get; init; }

    public string Kind { get; init; } = string.Empty;

    public string Queue { get; init; } = JobRequest.DefaultQueue;

    public JobPriority Priority { get; init; }

    /// <summary>The handler's input as JSON; never logged (it may hold parameter values).</summary>
    public string Payload { get; init; } = string.Empty;

    public Guid? OrganizationId { get; init; }

    public JobState State { get; init; }

    /// <summary>Attempts claimed so far; 1 while the first runs.</summary>
    public int Attempt { get; init; }

    public int MaxAttempts { get; init; }

    /// <summary>Not claimed before this time; null when enqueued means the database's clock at insert.</summary>
    public DateTime? RunAt { get; init; }

    public string? UniqueKey { get; init; }

    /// <summary>The node holding the lease while it runs.</summary>
    public string? LeaseOwner { get; init; }

    public DateTime? LeaseExpiresAt { get; init; }

    public DateTime? HeartbeatAt { get; init; }

    public DateTime? CancelRequestedAt { get; init; }

    /// <summary>The last failed attempt's error.</summary>
    public string? Error { get; init; }

    /// <summary>The database's clock when it was inserted.</summary>
    public DateTime EnqueuedAt { get; init; }

    /// <summary>The first claim (queued → started latency is <c>started_at - enqueued_at</c>).</summary>
    public DateTime? StartedAt { get; init; }

    /// <summary>The latest claim.</summary>
    public DateTime? ClaimedAt { get; init; }

    public DateTime? FinishedAt { get; init; }

    /// <summary>The W3C <c>traceparent</c> of the activity current at Enqueue (migration 0012); null when nothing was traced.</summary>
    public string? TraceParent { get; init; }

    /// <summary>The W3C <c>tracestate</c> that came with <see cref="TraceParent"/>.</summary>
    public string? TraceState { get; init; }

    /// <summary>How many times the job was claimed (migration 0025): the number of its latest row in <c>job_attempts</c>.</summary>
    public int Claims { get; init; }

    /// <summary>A job to insert, carrying the trace context current at Enqueue so that its run continues that trace.</summary>
    public static Job Queued(Guid id, JobRequest request)
    {
        var trace = JobTracing.CurrentContext();
        return new()
        {
            Id = id,
            Kind = request.Kind,
            Queue = request.Queue,
            Priority = request.Priority,
            Payload = request.Payload,
            OrganizationId = request.OrganizationId,
            State = JobState.Queued,
            MaxAttempts = request.MaxAttempts,
            RunAt = request.RunAt?.UtcDateTime,
            UniqueKey = request.UniqueKey,
            TraceParent = trace.Parent,
            TraceState = trace.State,
        };
    }
}
