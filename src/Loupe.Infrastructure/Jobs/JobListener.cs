using Microsoft.Extensions.Logging;
using Npgsql;

namespace Loupe.Infrastructure.Jobs;

/// <summary>
/// Holds one connection that <c>LISTEN</c>s on the engine's two channels and passes what arrives on:
/// <c>loupe_jobs_ready</c> (jobs were added or handed back) and <c>loupe_jobs_cancel</c> (payload: the
/// id of a running job to stop). When the connection drops it reconnects with backoff and reports the
/// reconnection, since notifications sent meanwhile are lost; polling covers that gap.
/// </summary>
internal sealed partial class JobListener(JobsDataSource dataSource, ILogger<JobListener> logger)
{
    public const string ReadyChannel = "loupe_jobs_ready";
    public const string CancelChannel = "loupe_jobs_cancel";

    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    /// <summary>Whether the listening connection is up (for the readiness check).</summary>
    public bool IsListening { get; private set; }

    public async Task RunAsync(Action onReady, Action<Guid> onCancel, CancellationToken ct)
    {
        var backoff = TimeSpan.FromMilliseconds(250);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(onReady, onCancel, () => backoff = TimeSpan.FromMilliseconds(250), ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception lost) when (lost is NpgsqlException or TimeoutException or InvalidOperationException or IOException)
            {
                IsListening = false;
                LogListenLost(lost.GetType().Name, backoff.TotalMilliseconds);
                try
                {
                    await Task.Delay(backoff, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, backoff.Ticks * 2));
            }
            finally
            {
                IsListening = false;
            }
        }
    }

    private async Task ListenAsync(Action onReady, Action<Guid> onCancel, Action onConnected, CancellationToken ct)
    {
        await using var connection = await dataSource.Listener.OpenConnectionAsync(ct).ConfigureAwait(false);
        connection.Notification += (_, notification) =>
        {
            if (notification.Channel == CancelChannel)
            {
                if (Guid.TryParse(notification.Payload, out var jobId))
                {
                    onCancel(jobId);
                }
            }
            else
            {
                onReady();
            }
        };
        await using (var listen = new NpgsqlCommand($"LISTEN {ReadyChannel}; LISTEN {CancelChannel}", connection))
        {
            await listen.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        IsListening = true;
        onConnected();
        LogListening();

        // Whatever was sent while no one listened is looked for now.
        onReady();
        while (true)
        {
            if (!await connection.WaitAsync(Idle, ct).ConfigureAwait(false))
            {
                // A quiet connection may be a dead one: a round trip finds out.
                await using var ping = new NpgsqlCommand("SELECT 1", connection);
                await ping.ExecuteScalarAsync(ct).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Listening for job notifications")]
    private partial void LogListening();

    [LoggerMessage(Level = LogLevel.Warning, Message = "The job notification connection was lost ({Failure}); reconnecting in {DelayMs} ms, polling meanwhile")]
    private partial void LogListenLost(string failure, double delayMs);
}
