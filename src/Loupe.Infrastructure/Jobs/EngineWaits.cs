namespace Loupe.Infrastructure.Jobs;

/// <summary>The engine's loops' waits: they end quietly when the loop is stopped.</summary>
internal static class EngineWaits
{
    /// <summary>Waits for the timer's next tick; false once <paramref name="ct"/> fires.</summary>
    public static async Task<bool> TickAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public static async Task DelayAsync(TimeSpan delay, TimeProvider time, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, time, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
