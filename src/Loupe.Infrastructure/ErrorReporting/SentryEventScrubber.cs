using System.Collections.Frozen;
using Npgsql;
using Sentry;

namespace Loupe.Infrastructure.ErrorReporting;

/// <summary>
/// The last step before an event leaves (ADR 0041). It keeps what locates a failure — exception
/// types and stacks, SQLSTATE, the route, Loupe's request or job id — and removes whatever could
/// carry a secret, SQL, a parameter value or personal data: every exception message (PostgreSQL's
/// quote SQL and values), exception data, the request's body, query string, cookies, URL and all but
/// three harmless headers, the user, and every tag Loupe did not set itself.
/// </summary>
internal static class SentryEventScrubber
{
    /// <summary>What an exception's message becomes: Loupe's log has it, under the same request or job id.</summary>
    public const string WithheldMessage = "(message withheld)";

    private static readonly FrozenSet<string> KeptTags = FrozenSet.Create(
        StringComparer.Ordinal,
        ErrorReportingTags.RequestId,
        ErrorReportingTags.JobId,
        ErrorReportingTags.JobKind,
        ErrorReportingTags.JobAttempt,
        ErrorReportingTags.JobOutcome,
        ErrorReportingTags.JobFailureType,
        ErrorReportingTags.JobCount,
        ErrorReportingTags.SqlState);

    private static readonly FrozenSet<string> KeptHeaders = FrozenSet.Create(StringComparer.OrdinalIgnoreCase, "Accept", "Content-Type", "Content-Length");

    private static readonly FrozenSet<string> KeptEnvironment = FrozenSet.Create(StringComparer.Ordinal, "SERVER_NAME", "SERVER_PORT");

    public static SentryEvent Scrub(SentryEvent sentryEvent)
    {
        ArgumentNullException.ThrowIfNull(sentryEvent);
        ScrubExceptions(sentryEvent);
        ScrubRequest(sentryEvent.Request);
        sentryEvent.Contexts.Response.Headers.Clear();
        sentryEvent.Contexts.Response.Cookies = null;
        sentryEvent.User = new SentryUser();
        foreach (var tag in sentryEvent.Tags.Keys.Where(key => !KeptTags.Contains(key)).ToList())
        {
            sentryEvent.UnsetTag(tag);
        }

        return sentryEvent;
    }

    private static void ScrubExceptions(SentryEvent sentryEvent)
    {
        if (sentryEvent.SentryExceptions is not { } reported)
        {
            return;
        }

        var reportedList = reported.ToList();

        // The SDK lists a chain oldest (innermost) first; walked the same way, the originals line up with it.
        var originals = sentryEvent.Exception is { } root ? Walk(root).Reverse().ToList() : [];
        var aligned = originals.Count == reportedList.Count;
        for (var i = 0; i < reportedList.Count; i++)
        {
            var original = aligned ? originals[i] : null;
            reportedList[i].Value = original is PostgresException postgres ? $"SQLSTATE {postgres.SqlState} {WithheldMessage}" : WithheldMessage;
            if (reportedList[i].Mechanism is { } mechanism)
            {
                // Exception.Data lands here; Npgsql's PostgresException puts its detail, hint and query there.
                foreach (var key in mechanism.Data.Keys.Where(key => key != "HResult").ToList())
                {
                    mechanism.Data.Remove(key);
                }
            }
        }

        if (originals.OfType<PostgresException>().FirstOrDefault() is { } first)
        {
            sentryEvent.SetTag(ErrorReportingTags.SqlState, first.SqlState);
        }
    }

    /// <summary>Outermost first, depth first through aggregates, as the SDK walks a chain.</summary>
    private static IEnumerable<Exception> Walk(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            yield return current;
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Walk))
                {
                    yield return inner;
                }

                yield break;
            }
        }
    }

    private static void ScrubRequest(SentryRequest request)
    {
        request.Url = null;
        request.QueryString = null;
        request.Data = null;
        request.Cookies = null;
        foreach (var header in request.Headers.Keys.Where(name => !KeptHeaders.Contains(name)).ToList())
        {
            request.Headers.Remove(header);
        }

        foreach (var variable in request.Env.Keys.Where(name => !KeptEnvironment.Contains(name)).ToList())
        {
            request.Env.Remove(variable);
        }

        request.Other.Clear();
    }
}
