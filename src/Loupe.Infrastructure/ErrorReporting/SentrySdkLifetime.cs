using Microsoft.Extensions.Hosting;
using Sentry;
using Sentry.Extensibility;

namespace Loupe.Infrastructure.ErrorReporting;

/// <summary>
/// The SDK of a host without HTTP, for as long as the host lives: initialized when first resolved (at
/// the latest when the host starts), flushed when it stops, closed when the host is disposed.
/// </summary>
internal sealed class SentrySdkLifetime : IHostedService, IDisposable
{
    private readonly IDisposable _sdk;
    private readonly TimeSpan _flushTimeout;

    public SentrySdkLifetime(SentryOptions options)
    {
        _sdk = SentrySdk.Init(options);
        _flushTimeout = options.FlushTimeout;
    }

    /// <summary>The initialized SDK's hub, the one the static <see cref="SentrySdk"/> also uses.</summary>
    public IHub Hub { get; } = HubAdapter.Instance;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Registered before the job engine, this runs after it stopped; disposing flushes again in any case.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => Hub.FlushAsync(_flushTimeout);

    public void Dispose() => _sdk.Dispose();
}
