using System.Diagnostics;

namespace Loupe.Api.Http;

/// <summary>
/// Gives every request an id: the caller's <c>X-Request-Id</c> when it is a sane token, a fresh one
/// otherwise. The id is echoed on the response, used as the request's trace identifier (so problem
/// documents and logs agree), and put on every log line of the request together with the W3C trace id.
/// </summary>
internal sealed class RequestIdMiddleware(RequestDelegate next, ILogger<RequestIdMiddleware> logger)
{
    public const string HeaderName = "X-Request-Id";
    private const int MaxLength = 64;

    public async Task InvokeAsync(HttpContext context)
    {
        var requestId = IsSane(context.Request.Headers[HeaderName].ToString())
            ? context.Request.Headers[HeaderName].ToString()
            : Guid.CreateVersion7().ToString("N");
        context.TraceIdentifier = requestId;

        // Set when the response starts: the exception handler clears headers set before it.
        context.Response.OnStarting(
            static state =>
            {
                var http = (HttpContext)state;
                http.Response.Headers[HeaderName] = http.TraceIdentifier;
                return Task.CompletedTask;
            },
            context);

        var scope = new Dictionary<string, object?>(2, StringComparer.Ordinal) { ["RequestId"] = requestId };
        if (Activity.Current is { } activity)
        {
            scope["TraceId"] = activity.TraceId.ToString();
        }

        using (logger.BeginScope(scope))
        {
            await next(context).ConfigureAwait(false);
        }
    }

    /// <summary>1 to 64 visible ASCII characters: anything else could forge log lines or bloat them.</summary>
    internal static bool IsSane(string? candidate) =>
        !string.IsNullOrEmpty(candidate)
        && candidate.Length <= MaxLength
        && candidate.All(c => c is >= '!' and <= '~');
}
