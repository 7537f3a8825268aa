namespace Loupe.Infrastructure.ErrorReporting;

/// <summary>The tags Loupe puts on a reported event; the scrubber removes every other tag.</summary>
public static class ErrorReportingTags
{
    /// <summary>Loupe's id of the request (its <c>X-Request-Id</c> and problem <c>error_id</c>).</summary>
    public const string RequestId = "request_id";

    public const string JobId = "job.id";

    /// <summary>The job's type, e.g. <c>runs.execute</c>.</summary>
    public const string JobKind = "job.kind";

    public const string JobAttempt = "job.attempt";

    /// <summary><c>failed</c> or <c>dead_lettered</c>.</summary>
    public const string JobOutcome = "job.outcome";

    public const string JobFailureType = "job.failure_type";

    /// <summary>How many jobs the lease sweeper dead-lettered at once.</summary>
    public const string JobCount = "job.count";

    /// <summary>The SQLSTATE of a PostgreSQL error in the exception chain.</summary>
    public const string SqlState = "db.sqlstate";
}
