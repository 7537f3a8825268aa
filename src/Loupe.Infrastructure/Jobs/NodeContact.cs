namespace Loupe.Infrastructure.Jobs;

/// <summary>When a claim, heartbeat or sweep of this node last reached the database (for the readiness check).</summary>
internal sealed class NodeContact(TimeProvider time, TimeSpan recentWithin)
{
    private long _lastTimestamp;

    public bool IsRecent =>
        Volatile.Read(ref _lastTimestamp) is var last and > 0 && time.GetElapsedTime(last) < recentWithin;

    public void Mark() => Volatile.Write(ref _lastTimestamp, time.GetTimestamp());
}
