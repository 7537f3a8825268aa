using Loupe.Hosting.Telemetry;
using Loupe.Infrastructure.Telemetry;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace Loupe.Worker;

/// <summary>
/// The worker's <c>/metrics</c> (ADR 0040): a small Kestrel of its own on <c>Metrics:Port</c> that serves
/// nothing else, answering allowed scrapers only (<see cref="MetricsEndpoint"/>, the gate the API uses too). Without a
/// port the worker listens on nothing; its metrics can still be pushed over OTLP.
/// </summary>
internal sealed partial class MetricsListener(
    IOptions<MetricsOptions> options,
    MetricsAccess access,
    MeterProvider meters,
    ILogger<MetricsListener> logger) : IHostedService, IAsyncDisposable
{
    private WebApplication? _listener;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled || options.Value.Port is not { } port)
        {
            return;
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.ListenAnyIP(port);
        });
        var listener = builder.Build();
        listener.UseGatedMetricsEndpoint(access, meters);
        listener.Run(http =>
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        await listener.StartAsync(cancellationToken).ConfigureAwait(false);
        _listener = listener;
        LogListening(port, MetricsOptions.Path);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_listener is not null)
        {
            await _listener.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_listener is not null)
        {
            await _listener.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Metrics listener on port {Port}, path {Path}")]
    private partial void LogListening(int port, string path);
}
