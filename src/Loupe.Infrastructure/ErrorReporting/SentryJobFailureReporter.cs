using System.Globalization;
using Loupe.Infrastructure.Jobs;
using Sentry;

namespace Loupe.Infrastructure.ErrorReporting;

/// <summary>
/// One event per job that ended failed or dead-lettered, tagged with the job's id, kind, attempt and
/// outcome. The job's payload and its stored error text are not given to the SDK at all; the
/// exception is, for its type and stack, and the scrubber withholds its message.
/// </summary>
internal sealed class SentryJobFailureReporter(IHub hub) : IJobFailureReporter
{
    public void Failed(JobFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var sentryEvent = new SentryEvent(failure.Exception)
        {
            Level = SentryLevel.Error,
            Message = new SentryMessage { Message = $"Job {failure.Kind} {failure.Outcome}" },
        };
        sentryEvent.SetTag(ErrorReportingTags.JobId, failure.JobId.ToString());
        sentryEvent.SetTag(ErrorReportingTags.JobKind, failure.Kind);
        sentryEvent.SetTag(ErrorReportingTags.JobAttempt, failure.Attempt.ToString(CultureInfo.InvariantCulture));
        sentryEvent.SetTag(ErrorReportingTags.JobOutcome, failure.Outcome);
        sentryEvent.SetTag(ErrorReportingTags.JobFailureType, failure.FailureType);
        hub.CaptureEvent(sentryEvent);
    }

    public void DeadLetteredByLeaseSweep(int count)
    {
        var sentryEvent = new SentryEvent
        {
            Level = SentryLevel.Error,
            Message = new SentryMessage { Message = "Jobs dead-lettered after the lease of their last attempt expired" },
        };
        sentryEvent.SetTag(ErrorReportingTags.JobOutcome, "dead_lettered");
        sentryEvent.SetTag(ErrorReportingTags.JobCount, count.ToString(CultureInfo.InvariantCulture));
        hub.CaptureEvent(sentryEvent);
    }
}
