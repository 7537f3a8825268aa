namespace Loupe.Infrastructure.Jobs;

/// <summary>Why a node stops a job it holds before its handler returns.</summary>
internal enum StopReason
{
    None,

    /// <summary>Someone cancelled it: it ends cancelled.</summary>
    Cancelled,

    /// <summary>The node is shutting down and the grace period is over: it is handed back.</summary>
    Shutdown,

    /// <summary>Its lease expired and the sweeper gave it to another node: nothing is written.</summary>
    LeaseLost,
}

/// <summary>A job this node is running: its attempt, the token its handler watches, and why it was stopped.</summary>
internal sealed class HeldJob(ClaimedJob job) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private int _reason;
    private int _finishing;

    public ClaimedJob Job { get; } = job;

    public CancellationToken Token => _stop.Token;

    public StopReason Reason => (StopReason)Volatile.Read(ref _reason);

    /// <summary>Ends when the attempt has ended and its outcome is written.</summary>
    public Task Completion { get; set; } = Task.CompletedTask;

    /// <summary>Set once its outcome is being written: a heartbeat that no longer finds it has not lost it.</summary>
    public bool IsFinishing => Volatile.Read(ref _finishing) == 1;

    /// <summary>Fires the handler's token; the first reason wins.</summary>
    public void Stop(StopReason reason)
    {
        if (Interlocked.CompareExchange(ref _reason, (int)reason, (int)StopReason.None) == (int)StopReason.None)
        {
            try
            {
                _stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The attempt is over already.
            }
        }
    }

    public void MarkFinishing() => Volatile.Write(ref _finishing, 1);

    public void Dispose() => _stop.Dispose();
}
