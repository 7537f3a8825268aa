using MediatR;
using Microsoft.Extensions.Logging;

namespace Loupe.Application.Common.Behaviors;

/// <summary>Innermost step: warns when a handler itself takes longer than the threshold.</summary>
internal sealed partial class PerformanceBehavior<TRequest, TResponse>(
    ILogger<PerformanceBehavior<TRequest, TResponse>> logger,
    TimeProvider clock)
    : IPipelineBehavior<TRequest, TResponse>
{
    internal static readonly TimeSpan Threshold = TimeSpan.FromMilliseconds(500);

    public async Task<TResponse> Handle(
        TRequest request,
        CancellationToken cancellationToken,
        RequestHandlerDelegate<TResponse> next)
    {
        var started = clock.GetTimestamp();
        var response = await next().ConfigureAwait(false);
        var elapsed = clock.GetElapsedTime(started);
        if (elapsed > Threshold)
        {
            LogSlow(typeof(TRequest).Name, elapsed.TotalMilliseconds, Threshold.TotalMilliseconds);
        }

        return response;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slow request {RequestName}: {ElapsedMs:0} ms (threshold {ThresholdMs:0} ms)")]
    private partial void LogSlow(string requestName, double elapsedMs, double thresholdMs);
}
