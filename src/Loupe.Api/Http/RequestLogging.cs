using Loupe.Application.Common.Security;
using Microsoft.AspNetCore.Diagnostics;
using Serilog;
using Serilog.Events;

namespace Loupe.Api.Http;

/// <summary>
/// One line per request, written by Serilog's request logging once the response is done: method,
/// route template (never the raw path or its query, which may carry values), status and duration.
/// The request's scope (<see cref="RequestIdMiddleware"/>) adds its request id and trace id; the
/// caller's organization and user are added here, when the request had one.
/// </summary>
internal static class RequestLogging
{
    /// <summary>Method and route rendered without quotes (<c>:l</c>), so the JSON's <c>@m</c> reads like the text line.</summary>
    public const string MessageTemplate = "HTTP {RequestMethod:l} {Route:l} responded {StatusCode} in {Elapsed:0.0} ms";

    /// <summary>The status of a request whose client went away before the answer (nginx's convention).</summary>
    private const int ClientClosedRequest = 499;

    public static IApplicationBuilder UseLoupeRequestLogging(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(options =>
        {
            // The host's own logger: the static one is shared by every host of the process.
            options.Logger = app.ApplicationServices.GetRequiredService<Serilog.ILogger>();
            options.MessageTemplate = MessageTemplate;
            options.GetMessageTemplateProperties = MessageProperties;
            options.EnrichDiagnosticContext = AddCaller;
        });

    /// <summary>Replaces the library's properties, whose <c>RequestPath</c> is the raw path.</summary>
    private static LogEventProperty[] MessageProperties(HttpContext context, string rawPath, double elapsedMs, int statusCode) =>
    [
        new("RequestMethod", new ScalarValue(context.Request.Method)),
        new("Route", new ScalarValue(RouteOf(context))),
        new("StatusCode", new ScalarValue(context.RequestAborted.IsCancellationRequested ? ClientClosedRequest : statusCode)),
        new("Elapsed", new ScalarValue(elapsedMs)),
    ];

    /// <summary>The matched route's template; after an exception, the one the exception handler kept (it clears the endpoint).</summary>
    private static string RouteOf(HttpContext context) =>
        ((context.GetEndpoint() ?? context.Features.Get<IExceptionHandlerFeature>()?.Endpoint) as RouteEndpoint)?.RoutePattern.RawText
        ?? "(unmatched)";

    private static void AddCaller(IDiagnosticContext diagnostics, HttpContext context)
    {
        var caller = context.RequestServices.GetRequiredService<ICurrentUser>();
        if (caller.OrganizationId is { } organizationId)
        {
            diagnostics.Set("OrganizationId", organizationId);
        }

        if (caller.UserId is { } userId)
        {
            diagnostics.Set("UserId", userId);
        }
    }
}
