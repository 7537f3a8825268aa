namespace Loupe.Integration.Tests.Support;

/// <summary>
/// A test host's clock: the system's, until a test holds it at an instant (for answers computed from
/// "now", such as a canvas's time window); the fixture lets it go again before the next test.
/// Only <see cref="GetUtcNow"/> is held: timers and elapsed-time measurements run on.
/// </summary>
public sealed class HoldableClock : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _held;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _held ?? base.GetUtcNow();
        }
    }

    /// <summary>Stops the clock at <paramref name="instant"/> (hold near the real time: access tokens are checked against it).</summary>
    public DateTimeOffset Hold(DateTimeOffset instant)
    {
        lock (_gate)
        {
            _held = instant;
            return instant;
        }
    }

    /// <summary>Stops the clock where it is now.</summary>
    public DateTimeOffset Hold() => Hold(base.GetUtcNow());

    /// <summary>Lets the clock follow the system's again.</summary>
    public void Release()
    {
        lock (_gate)
        {
            _held = null;
        }
    }
}
