using System.Diagnostics;
using MediatR;
using Microsoft.Extensions.Logging;

namespace Loupe.Application.Common.Behaviors;

/// <summary>
/// Outermost step: logs each request's name, outcome and duration. Never the payload: requests
/// carry passwords, SQL and parameter values.
/// </summary>
internal sealed partial class LoggingBehavior<TRequest, TResponse>(ILogger<LoggingBehavior<TRequest, TResponse>> logger)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(
        TRequest request,
        CancellationToken cancellationToken,
        RequestHandlerDelegate<TResponse> next)
    {
        var name = typeof(TRequest).Name;
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next().ConfigureAwait(false);
            var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogHandled(name, elapsedMs);
            return response;
        }
        catch (Exception exception)
        {
            var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var exceptionType = exception.GetType().Name;
            LogFailed(name, exceptionType, elapsedMs);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Handled {RequestName} in {ElapsedMs:0.0} ms")]
    private partial void LogHandled(string requestName, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "{RequestName} ended with {ExceptionType} after {ElapsedMs:0.0} ms")]
    private partial void LogFailed(string requestName, string exceptionType, double elapsedMs);
}
