using Loupe.Api.Problems;
using Loupe.Application.Common.Persistence;
using Loupe.Infrastructure.ErrorReporting;
using Sentry;
using Sentry.Extensibility;

namespace Loupe.Api.ErrorReporting;

/// <summary>
/// Decides which events of a request are sent. The integration captures every exception the
/// exception handler saw, including those it answered with a 4xx or a 503; only the ones answered
/// with a 500 (Loupe's own fault, logged as an error) go on, tagged with Loupe's request id.
/// </summary>
internal sealed class RequestErrorEvents(IHttpContextAccessor httpContextAccessor, IDatabaseFailures databaseFailures) : ISentryEventProcessor
{
    public SentryEvent? Process(SentryEvent @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        if (httpContextAccessor.HttpContext is not { } http)
        {
            return @event;
        }

        if (@event.Exception is { } exception && !ExceptionToProblemHandler.IsServerFault(exception, http, databaseFailures))
        {
            return null;
        }

        @event.SetTag(ErrorReportingTags.RequestId, http.TraceIdentifier);
        return @event;
    }
}
