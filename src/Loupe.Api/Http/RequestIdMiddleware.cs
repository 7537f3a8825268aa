using System.Diagnostics;

namespace Loupe.Api.Http;

/// <summary>
/// Gives every request Loupe's own id, a fresh UUIDv7: it is the request's trace identifier (so
/// problem documents, logs and the audit trail agree) and the response's <c>X-Request-Id</c>. A
/// caller's <c>X-Request-Id</c>, when it is a sane token, is kept beside it as the client's id: echoed
/// as <c>X-Client-Request-Id</c>, logged and audited, but never taken for Loupe's (a client could
/// otherwise reuse or forge the id operators search for).
/// </summary>
internal sealed class RequestIdMiddleware(RequestDelegate next, ILogger<RequestIdMiddleware> logger)
{
    public const string HeaderName = "X-Request-Id";
    public const string ClientHeaderName = "X-Client-Request-Id";

    /// <summary>Where the client's id waits in <see cref="HttpContext.Items"/> for the request origin.</summary>
    internal const string ClientRequestIdItem = "Loupe.ClientRequestId";

    private const int MaxLength = 64;

    public async Task InvokeAsync(HttpContext context)
    {
        var requestId = Guid.CreateVersion7().ToString("N");
        context.TraceIdentifier = requestId;
        var offered = context.Request.Headers[HeaderName].ToString();
        var clientRequestId = IsSane(offered) ? offered : null;
        if (clientRequestId is not null)
        {
            context.Items[ClientRequestIdItem] = clientRequestId;
        }

        // Set when the response starts: the exception handler clears headers set before it.
        context.Response.OnStarting(
            static state =>
            {
                var http = (HttpContext)state;
                http.Response.Headers[HeaderName] = http.TraceIdentifier;
                if (ClientRequestIdOf(http) is { } client)
                {
                    http.Response.Headers[ClientHeaderName] = client;
                }

                return Task.CompletedTask;
            },
            context);

        var scope = new Dictionary<string, object?>(3, StringComparer.Ordinal) { ["RequestId"] = requestId };
        if (clientRequestId is not null)
        {
            scope["ClientRequestId"] = clientRequestId;
        }

        if (Activity.Current is { } activity)
        {
            scope["TraceId"] = activity.TraceId.ToString();
        }

        using (logger.BeginScope(scope))
        {
            await next(context).ConfigureAwait(false);
        }
    }

    /// <summary>The caller's own <c>X-Request-Id</c>, when it sent a sane one.</summary>
    internal static string? ClientRequestIdOf(HttpContext context) =>
        context.Items.TryGetValue(ClientRequestIdItem, out var value) ? value as string : null;

    /// <summary>1 to 64 visible ASCII characters: anything else could forge log lines or bloat them.</summary>
    internal static bool IsSane(string? candidate) =>
        !string.IsNullOrEmpty(candidate)
        && candidate.Length <= MaxLength
        && candidate.All(c => c is >= '!' and <= '~');
}
