using System.Diagnostics;
using Loupe.Infrastructure.Persistence.Configurations;

namespace Loupe.Infrastructure.Jobs;

/// <summary>
/// A job's place in a trace (ADR 0040). Enqueue stores the W3C context of the activity current then (the
/// API request, most often); each attempt runs under an activity of the source <c>Loupe.Jobs</c> whose
/// parent is that context, so the request that asked for a run and the work that ran it are one trace.
/// Attempts of a job without a stored context start traces of their own.
/// </summary>
internal static class JobTracing
{
    public const string SourceName = "Loupe.Jobs";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>The <c>traceparent</c> and <c>tracestate</c> of the current activity; nulls when there is none in W3C format.</summary>
    public static (string? Parent, string? State) CurrentContext()
    {
        if (Activity.Current is not { IdFormat: ActivityIdFormat.W3C } current
            || current.Id is not { Length: JobConfiguration.TraceParentMaxLength } parent)
        {
            return (null, null);
        }

        // A tracestate longer than W3C allows is dropped rather than cut (a cut entry would be wrong).
        var state = current.TraceStateString is { Length: > 0 and <= JobConfiguration.TraceStateMaxLength } s ? s : null;
        return (parent, state);
    }

    /// <summary>
    /// Starts the activity of one attempt, a child of the context the job was enqueued under (null when
    /// nobody listens). Its tags name the job, never its payload.
    /// </summary>
    public static Activity? StartAttempt(ClaimedJob job)
    {
        // The engine's own flow carries no activity (see JobEngine): without a stored context, a new trace.
        var parent = ActivityContext.TryParse(job.TraceParent, job.TraceState, isRemote: true, out var stored) ? stored : default;
        var activity = Source.StartActivity(ActivityKind.Consumer, parent, name: $"job {job.Kind}");
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("loupe.job.id", job.Id);
            activity.SetTag("loupe.job.kind", job.Kind);
            activity.SetTag("loupe.job.attempt", job.Attempt);
            activity.SetTag("loupe.job.max_attempts", job.MaxAttempts);
            if (job.OrganizationId is { } organizationId)
            {
                activity.SetTag("loupe.organization.id", organizationId);
            }
        }

        return activity;
    }

    /// <summary>How the attempt ended; a failure is marked by its exception type only, never its message (it may quote data).</summary>
    public static void End(Activity? activity, string outcome, string? failureType)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("loupe.job.outcome", outcome);
        if (failureType is not null)
        {
            activity.SetTag("error.type", failureType);
            activity.SetStatus(ActivityStatusCode.Error, failureType);
        }
    }
}
