using Loupe.Infrastructure.Persistence;
using Microsoft.Extensions.Logging;

namespace Loupe.Infrastructure.Jobs;

/// <summary>
/// The engine's shutdown, once claiming has stopped: lets running jobs finish for
/// <c>Jobs:ShutdownGraceSeconds</c>, then cancels them and hands them back.
/// </summary>
internal sealed class JobDrainer(JobStore store, HeldJobs held, JobsOptions options, TimeProvider time, ILogger logger)
{
    /// <summary>How long jobs that ignore their cancellation get before the node hands them back anyway.</summary>
    private static readonly TimeSpan CancelledGrace = TimeSpan.FromSeconds(3);

    public async Task DrainAsync()
    {
        var running = held.Snapshot().Select(h => h.Completion).ToArray();
        if (running.Length == 0)
        {
            return;
        }

        logger.LogDraining(running.Length, options.ShutdownGraceSeconds);
        await WhenAllOrAfterAsync(running, options.ShutdownGrace).ConfigureAwait(false);
        var left = held.Snapshot();
        if (left.Length == 0)
        {
            return;
        }

        foreach (var attempt in left)
        {
            attempt.Stop(StopReason.Shutdown);
        }

        await WhenAllOrAfterAsync([.. left.Select(h => h.Completion)], CancelledGrace).ConfigureAwait(false);
        if (!held.IsEmpty)
        {
            // Handlers that ignore their token keep running until the process ends; their jobs go back now.
            try
            {
                var released = await store.ReleaseAsync(null, CancellationToken.None).ConfigureAwait(false);
                logger.LogHandedBack(released);
            }
            catch (Exception failure) when (DatabaseFailures.IsDatabaseFailure(failure))
            {
                logger.LogWriteFailed("*", Guid.Empty, failure.GetType().Name);
            }
        }
    }

    private async Task WhenAllOrAfterAsync(Task[] tasks, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit, time);
        try
        {
            await Task.WhenAll(tasks).WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            // The limit passed first.
        }
    }
}
