using Loupe.Infrastructure.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Loupe.Infrastructure.Dashboards;

/// <summary>
/// Hears every change that makes a cached dashboard answer stale, in this process or any other: one
/// connection of its own per API process runs <c>LISTEN loupe_dashboards</c>, on which the triggers
/// of migration 0018 announce <c>&lt;kind&gt;:&lt;id&gt;</c> when a dashboard, visualization or saved
/// query changes or a saved query has a newer result (sent when the change commits). Each one drops the
/// answers built from that id (<see cref="DashboardViewCache.Changed(Guid)"/>). The cache keeps answers
/// only while this connection is up; when it is lost, everything is dropped and it connects again
/// (1 s, then up to 30 s apart). A keepalive notices a connection that died silently.
/// </summary>
internal sealed partial class DashboardChangeListener(
    IOptions<DatabaseOptions> database, DashboardViewCache cache, ILogger<DashboardChangeListener> logger) : BackgroundService
{
    public const string Channel = "loupe_dashboards";

    public const string PoolName = "loupe-dashboard-changes";

    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Not pooled: the one connection lives as long as it is up. Named, so the pool metrics show a name.
        var builder = database.Value.PoolBuilder(1, PoolName);
        builder.ConnectionStringBuilder.Pooling = false;
        builder.ConnectionStringBuilder.KeepAlive = 15;
        builder.ConnectionStringBuilder.ApplicationName = PoolName;
        await using var source = builder.Build();
        var retry = FirstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var connection = source.CreateConnection();
                await using (connection.ConfigureAwait(false))
                {
                    connection.Notification += (_, e) => Heard(e.Payload);
                    await connection.OpenAsync(stoppingToken).ConfigureAwait(false);
                    var listen = new NpgsqlCommand($"LISTEN {Channel}", connection);
                    await using (listen.ConfigureAwait(false))
                    {
                        await listen.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
                    }

                    cache.SetListening(true);
                    LogListening(logger, Channel);
                    retry = FirstRetry;
                    while (true)
                    {
                        await connection.WaitAsync(stoppingToken).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception failure) when (failure is NpgsqlException or InvalidOperationException or TimeoutException or IOException)
            {
                LogLost(logger, failure, retry.TotalSeconds);
            }
            finally
            {
                cache.SetListening(false);
            }

            try
            {
                await Task.Delay(retry, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
        }
    }

    /// <summary>One announcement: <c>d:</c>, <c>v:</c>, <c>q:</c> or <c>r:</c> and an id; anything else drops everything.</summary>
    private void Heard(string payload)
    {
        if (payload is [_, ':', ..] && Guid.TryParse(payload.AsSpan(2), out var id))
        {
            cache.Changed(id);
        }
        else
        {
            cache.ChangedAll();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for dashboard changes on {Channel}; cached dashboard answers are kept")]
    private static partial void LogListening(ILogger logger, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the connection that hears dashboard changes; cached dashboard answers dropped, connecting again in {Seconds} s")]
    private static partial void LogLost(ILogger logger, Exception failure, double seconds);
}
