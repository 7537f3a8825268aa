using System.Diagnostics;

namespace Loupe.Api.Http;

/// <summary>One log line per request: method, route template (never the raw path or query, which may carry values), status, duration.</summary>
internal sealed partial class RequestLoggingMiddleware(RequestDelegate next, ILogger<RequestLoggingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();

        // Read before the rest runs: routing has already matched, and the exception handler clears it.
        var matched = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            var route = matched ?? (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(unmatched)";
            var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var status = context.RequestAborted.IsCancellationRequested ? 499 : context.Response.StatusCode;
            LogRequest(context.Request.Method, route, status, elapsedMs);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP {Method} {Route} responded {StatusCode} in {ElapsedMs:0.0} ms")]
    private partial void LogRequest(string method, string route, int statusCode, double elapsedMs);
}
